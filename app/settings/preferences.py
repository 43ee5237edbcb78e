"""Theme and language switches: saved on the account, or in a cookie before sign-in."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from app.core.i18n import LOCALE_COOKIE, THEME_COOKIE
from app.core.permissions import public
from app.extensions import db

bp = Blueprint("prefs", __name__, url_prefix="/preferences")
ONE_YEAR = 365 * 24 * 3600


def _back():
    target = request.form.get("next") or request.referrer or url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.host:
        target = url_for("dashboard.index")
    else:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect(target or "/")


def _save(attribute: str, cookie: str, value: str, allowed: tuple[str, ...]):
    response = _back()
    if value not in allowed:
        return response
    if current_user.is_authenticated:
        setattr(current_user, attribute, value)
        db.session.commit()
    response.set_cookie(cookie, value, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.post("/theme")
@public
def set_theme():
    return _save("theme", THEME_COOKIE, request.form.get("theme", ""), ("light", "dark", "system"))


@bp.post("/locale")
@public
def set_locale():
    return _save("language", LOCALE_COOKIE, request.form.get("locale", ""), ("he", "en"))
