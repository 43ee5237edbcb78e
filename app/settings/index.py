from flask import g, redirect, url_for
from flask_babel import lazy_gettext as _l

from app.core.navigation import register_nav
from app.core.permissions import member_of_tenant
from app.settings import bp
from app.settings.tabs import register_settings_tab


def can_view_team(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_manage_users")


@bp.get("/")
@member_of_tenant()
def index():
    if can_view_team(g.membership):
        return redirect(url_for("settings.users"))
    return redirect(url_for("settings.security"))


register_nav(_l("הגדרות"), "settings.index", "settings", 90, "/settings")
register_settings_tab(
    _l("צוות"),
    "settings.users",
    "users",
    10,
    lambda m: m is not None and can_view_team(m),
    ("settings.invite", "settings.edit_member"),
)
register_settings_tab(
    _l("אבטחה"),
    "settings.security",
    "shield",
    90,
    lambda m: True,
    (
        "settings.change_password",
        "settings.start_two_factor",
        "settings.enable_two_factor",
        "settings.disable_two_factor",
    ),
)
