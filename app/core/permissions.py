"""Deny by default: every endpoint declares who may call it.

`public`, `signed_in` (an account, no studio needed), `member_of_tenant(flag=None, roles=None)`
and `platform_admin` wrap a view and record the rule in `view.access`. The app refuses a
request to any view that declares nothing, and a test walks the URL map for the same.
"""

from functools import wraps

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

ACCESS_ATTR = "access"


def _mark(view, rule: str):
    setattr(view, ACCESS_ATTR, rule)
    return view


def public(view):
    return _mark(view, "public")


def _login_redirect():
    if request.headers.get("HX-Request"):
        abort(401)
    flash(_("יש להתחבר כדי להמשיך."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _login_redirect()
        return view(*args, **kwargs)

    return _mark(wrapper, "signed_in")


def member_of_tenant(flag: str | None = None, roles: tuple[str, ...] | None = None):
    """A signed-in member of the current studio, optionally holding a permission flag/role."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _login_redirect()
            membership = g.get("membership")
            if membership is None:
                return redirect(url_for("dashboard.no_studio"))
            if flag and not membership.has(flag):
                abort(403)
            if roles and membership.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, f"tenant:{flag or ''}:{','.join(roles or ())}")

    return decorator


def platform_admin(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _login_redirect()
        if not current_user.is_platform_admin:
            abort(404)  # the admin area does not reveal that it exists
        return view(*args, **kwargs)

    return _mark(wrapper, "platform_admin")


def websocket_signed_in(handler):
    """For websocket handlers (flask-sock calls them with the socket): close unless signed in."""

    @wraps(handler)
    def wrapper(ws, *args, **kwargs):
        if not current_user.is_authenticated:
            ws.close(reason=1008, message="sign in first")
            return None
        return handler(ws, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def declared_access(view) -> str | None:
    return getattr(view, ACCESS_ATTR, None)


def enforce_declarations(app) -> None:
    @app.before_request
    def _deny_undeclared():
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = app.view_functions.get(request.endpoint)
        if view is not None and declared_access(view) is None:
            abort(403)
        return None
