"""פעילות: the studio's activity feed, and the history fragment for any entity page."""

from zoneinfo import ZoneInfo

from flask import Blueprint, g, request

from app.activity import queries
from app.activity.forms import FeedFilterForm
from app.activity.labels import entity_kinds
from app.core.permissions import member_of_tenant
from app.core.render import render
from app.tenants.services import team

bp = Blueprint("activity", __name__)


def sees_everyone(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_manage_users")


@bp.get("/activity")
@member_of_tenant()
def feed():
    membership = g.membership
    form = FeedFilterForm(request.args)
    members = team(membership.tenant_id) if sees_everyone(membership) else [membership]
    form.set_choices(members, entity_kinds())
    filters = queries.FeedFilters(
        only_user_id=None if sees_everyone(membership) else membership.user_id
    )
    if form.validate():
        filters.user_id = form.user.data or None
        filters.entity_type = form.entity_type.data or None
        filters.date_from, filters.date_to = form.date_from.data, form.date_to.data
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = queries.feed(filters, ZoneInfo(membership.tenant.timezone), page)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render(
        "activity/feed.html",
        "activity/_feed.html",
        form=form,
        pagination=pagination,
        filter_args=args,
        status=200 if not form.errors else 422,
    )


@bp.get("/activity/<entity_type>/<entity_id>")
@member_of_tenant()
def entity_history(entity_type, entity_id):
    """The history fragment: `hx-get` it from any entity page (it has no page of its own)."""
    entries = queries.for_entity(entity_type[:40], entity_id[:64])
    if not sees_everyone(g.membership):
        entries = [e for e in entries if e.user_id == g.membership.user_id]
    return render("activity/_entity_history.html", entries=entries)
