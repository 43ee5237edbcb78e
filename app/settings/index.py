from flask import g, redirect, url_for
from flask_babel import lazy_gettext as _l

from app.core.navigation import register_nav
from app.core.permissions import member_of_tenant
from app.settings import bp


def can_view_team(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_manage_users")


@bp.get("/")
@member_of_tenant()
def index():
    if can_view_team(g.membership):
        return redirect(url_for("settings.users"))
    return redirect(url_for("settings.security"))


register_nav(_l("הגדרות"), "settings.index", "settings", 90, "/settings")
