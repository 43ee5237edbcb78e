"""דשבורד: the landing page after sign-in (later modules fill it with widgets)."""

from zoneinfo import ZoneInfo

from flask import Blueprint, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.activity.queries import FeedFilters, feed
from app.activity.routes import sees_everyone
from app.core.navigation import register_nav
from app.core.permissions import member_of_tenant, public, signed_in
from app.tenants import services as tenants

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@member_of_tenant()
def index():
    membership = g.membership
    filters = FeedFilters(only_user_id=None if sees_everyone(membership) else membership.user_id)
    recent = feed(filters, ZoneInfo(membership.tenant.timezone), per_page=5).items
    return render_template(
        "dashboard/index.html",
        team_size=len(tenants.team(membership.tenant_id)),
        recent_activity=recent,
    )


@bp.get("/no-studio")
@signed_in
def no_studio():
    if g.membership is not None:
        return redirect(url_for("dashboard.index"))
    if current_user.is_platform_admin:
        return redirect(url_for("admin.index"))
    return render_template("dashboard/no_studio.html")


register_nav(_l("דשבורד"), "dashboard.index", "dashboard", 10, "/dashboard")
