"""Domain errors and the error pages (full pages, or fragments for HTMX requests)."""

import logging
import uuid

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class PermissionDenied(Exception):
    def __init__(self, message: str | None = None):
        super().__init__(message)
        self.message = message


class ValidationFailed(Exception):
    """Invalid input a service found; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [m for messages in self.errors.values() for m in messages]


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("בקשה לא תקינה"), _("משהו בבקשה לא היה תקין. נסו שוב.")),
        403: (_("אין הרשאה"), _("אין לך הרשאה לפעולה או לדף הזה.")),
        404: (_("הדף לא נמצא"), _("ייתכן שהקישור שגוי או שהפריט נמחק.")),
        405: (_("פעולה לא נתמכת"), _("הדף הזה לא תומך בפעולה שנשלחה.")),
        413: (_("הקובץ גדול מדי"), _("הבקשה גדולה מהמותר.")),
        429: (_("יותר מדי בקשות"), _("ביצעתם יותר מדי ניסיונות בזמן קצר. המתינו דקה ונסו שוב.")),
        500: (_("שגיאת שרת"), _("משהו השתבש אצלנו. הצוות קיבל דיווח; נסו שוב בעוד רגע.")),
    }


def render_error(code: int, message: str | None = None, error_id: str | None = None):
    title, default_message = _titles().get(code, _titles()[500])
    context = {
        "code": code,
        "title": title,
        "message": message or default_message,
        "error_id": error_id,
    }
    if request.path.startswith("/api/") or request.path == "/healthz":
        return jsonify(success=False, error={"code": code, "message": context["message"]}), code
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    response = render_template(template, **context)
    return response, code


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("פג תוקף הטופס או שחסר בו אסימון אבטחה. רעננו את הדף ונסו שוב."))

    @app.errorhandler(PermissionDenied)
    def permission_denied(error):
        return render_error(403, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and error.code < 400:
            return error
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error):
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise error  # tests want the traceback, not the friendly page
        error_id = uuid.uuid4().hex[:12]
        log.exception("Unhandled error %s", error_id)
        from app.extensions import db

        db.session.rollback()
        return render_error(500, error_id=error_id)
