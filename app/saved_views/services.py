"""Saved views: name the current filter of a list page; personal, or shared with the studio.

views_for(membership, "contacts:client")            # mine + shared, by name
save_view(membership, "contacts:client", "לידים חמים", "status=lead&sort=lead_score", shared)
"""

from urllib.parse import parse_qsl, urlencode

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.core.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.saved_views.models import SavedView

MAX_VIEWS_PER_PAGE = 30
DROPPED_ARGS = {"page", "csrf_token", "view", "tab", "new"}


def clean_query(query: str) -> str:
    """The filter part of a query string (no page number, no token), in a stable order."""
    pairs = [
        (k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k not in DROPPED_ARGS
    ]
    return urlencode(pairs)[:2000]


def views_for(membership, page: str) -> list[SavedView]:
    return list(
        db.session.scalars(
            select(SavedView)
            .where(
                SavedView.page == page,
                or_(SavedView.user_id == membership.user_id, SavedView.is_shared.is_(True)),
            )
            .order_by(SavedView.name)
        )
    )


def get_view(membership, view_id) -> SavedView | None:
    view = db.session.get(SavedView, view_id)
    if view is None or (view.user_id != membership.user_id and not view.is_shared):
        return None
    return view


def can_change(membership, view: SavedView) -> bool:
    return view.user_id == membership.user_id or membership.role in ("owner", "manager")


def save_view(membership, page: str, name: str, query: str, shared: bool = False) -> SavedView:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 60:
        raise ValidationFailed({"name": [_("יש לתת לתצוגה שם (עד 60 תווים).")]})
    existing = [v for v in views_for(membership, page) if v.user_id == membership.user_id]
    same_name = next((v for v in existing if v.name == name), None)
    if same_name is None and len(existing) >= MAX_VIEWS_PER_PAGE:
        raise ValidationFailed(
            {"name": [_("אפשר לשמור עד %(max)d תצוגות.", max=MAX_VIEWS_PER_PAGE)]}
        )
    view = same_name or SavedView(page=page, name=name, user_id=membership.user_id)
    view.query = clean_query(query)
    view.is_shared = bool(shared)
    db.session.add(view)
    db.session.flush()
    return view


def delete_view(membership, view: SavedView) -> None:
    if not can_change(membership, view):
        raise PermissionDenied(_("רק מי שיצר את התצוגה יכול למחוק אותה."))
    db.session.delete(view)
    db.session.flush()
