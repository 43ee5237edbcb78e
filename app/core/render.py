"""One helper for page-or-fragment responses, and request metadata for services."""

from flask import make_response, render_template, request

from app.audit.services import RequestInfo


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render(page: str, fragment: str | None = None, status: int = 200, **context):
    """Render the full page, or only `fragment` when HTMX asked (and it isn't boosted)."""
    use_fragment = fragment and is_htmx() and not request.headers.get("HX-Boosted")
    response = make_response(render_template(fragment if use_fragment else page, **context))
    response.status_code = status
    return response


def request_origin() -> RequestInfo:
    return RequestInfo(ip=request.remote_addr, user_agent=request.headers.get("User-Agent"))


def with_toast(response, message: str, level: str = "success"):
    """Ask app.js to show a toast after an HTMX swap (JSON keeps Hebrew header-safe)."""
    import json

    response.headers["HX-Trigger"] = json.dumps({"toast": {"message": message, "level": level}})
    return response
