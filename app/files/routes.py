"""Serving stored files (tenant members, or signed links) and a small upload endpoint."""

from flask import Blueprint, abort, current_app, g, request
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.core.permissions import member_of_tenant, public
from app.core.render import render, with_toast
from app.extensions import db
from app.files.models import THUMBNAIL_SIZES
from app.files.services import (
    SignedLinkError,
    file_from_token,
    file_response,
    get_file,
    save_upload,
)

bp = Blueprint("files", __name__, url_prefix="/files")

# Endpoints whose request body may be as large as MAX_UPLOAD_MB; every other request is held
# to FORM_MAX_CONTENT_LENGTH. Other modules add theirs with `allow_large_upload`.
UPLOAD_ENDPOINTS: set[str] = {"files.upload"}


def allow_large_upload(endpoint: str) -> None:
    UPLOAD_ENDPOINTS.add(endpoint)


@bp.app_url_value_preprocessor
def _limit_request_size(endpoint, values):
    # Runs before every before_request hook (CSRF reads the form there).
    if endpoint in UPLOAD_ENDPOINTS:
        return
    form_limit = current_app.config.get("FORM_MAX_CONTENT_LENGTH")
    if form_limit:
        request.max_content_length = min(form_limit, current_app.config["MAX_CONTENT_LENGTH"])


@bp.get("/<uuid:file_id>")
@member_of_tenant()
def show(file_id):
    stored = get_file(file_id) or abort(404)
    return file_response(stored, as_attachment=request.args.get("download") == "1" or None)


@bp.get("/<uuid:file_id>/thumbnail/<size>")
@member_of_tenant()
def thumbnail(file_id, size):
    size = int(size) if size.isdigit() else 0
    if size not in THUMBNAIL_SIZES:
        abort(404)
    stored = get_file(file_id) or abort(404)
    key = stored.thumbnail_key(size) or abort(404)
    return file_response(
        key=key, content_type="image/webp", download_name=f"{size}.webp", as_attachment=False
    )


@bp.get("/s/<token>")
@public
def signed(token):
    """A signed, expiring link (e-mails, outside the app): no sign-in needed."""
    try:
        stored = file_from_token(token)
    except SignedLinkError as error:
        if error.expired:
            return render(
                "errors/error.html",
                code=410,
                title=_("פג תוקף הקישור"),
                message=_("הקישור לקובץ כבר לא בתוקף. בקשו קישור חדש ממי ששלח אותו."),
                status=410,
            )
        abort(404)
    return file_response(stored)


@bp.post("/upload")
@member_of_tenant()
def upload():
    try:
        stored = save_upload(g.membership, request.files.get("file"))
    except ValidationFailed as error:
        db.session.rollback()
        return render("files/_upload_result.html", errors=error.messages, stored=None, status=422)
    db.session.commit()
    response = render("files/_upload_result.html", errors=[], stored=stored, status=201)
    return (
        with_toast(response, _("הקובץ הועלה.")) if request.headers.get("HX-Request") else response
    )
