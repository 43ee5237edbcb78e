"""Development-only pages. Registered only when DEV_MAIL_ENABLED (never in production)."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.core.permissions import public
from app.extensions import db

bp = Blueprint("dev", __name__, url_prefix="/dev")
PAGE_SIZE = 25


@bp.get("/mail")
@public
def mail():
    page = max(request.args.get("page", 1, type=int), 1)
    to = (request.args.get("to") or "").strip().lower()
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc())
    if to:
        statement = statement.where(OutboxMessage.to_address == to)
    pagination = db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("devtools/mail.html", pagination=pagination, to=to)


@bp.get("/mail/<uuid:message_id>")
@public
def mail_message(message_id):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("devtools/mail_message.html", message=message)
