"""The lead pipeline (spec section ד): a lead is a client with status "lead" moving through
stages; "won" makes it an active client, "lost" needs a reason."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.activity.services import record_activity
from app.contacts import permissions
from app.contacts.models import LEAD_STAGES, Client
from app.contacts.services import announce, get_many, readable_changes
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db

OPEN_STAGES = ("new", "contacted", "meeting", "proposal_sent")


def _next_order(stage: str) -> int:
    highest = db.session.scalar(
        select(func.max(Client.lead_stage_order)).where(Client.lead_stage == stage)
    )
    return (highest or 0) + 1


def move_to_stage(actor, client: Client, stage: str, *, lost_reason: str | None = None) -> dict:
    """Move a lead to `stage` (the board's drag, or its keyboard menu); returns the changes.

    won → the client becomes active (conversion); lost → needs a reason; moving a won or lost
    card back to an open stage reopens it as a lead.
    """
    permissions.require(permissions.can_edit(actor))
    if stage not in LEAD_STAGES:
        raise ValidationFailed({"stage": [_("שלב לא מוכר.")]})
    if client.status not in ("lead",) and client.lead_stage not in ("won", "lost"):
        raise ValidationFailed({"stage": [_("הלקוח הזה אינו ליד.")]})
    if client.is_archived:
        raise ValidationFailed({"stage": [_("הלקוח בארכיון: שחזרו אותו כדי להעביר שלב.")]})
    lost_reason = (lost_reason or "").strip() or None
    if stage == "lost" and not lost_reason:
        raise ValidationFailed({"lost_reason": [_("כתבו למה הליד אבד.")]})
    if lost_reason and len(lost_reason) > 500:
        raise ValidationFailed({"lost_reason": [_("אפשר להזין עד %(max)d תווים.", max=500)]})
    old = {
        "lead_stage": client.lead_stage,
        "status": client.status,
        "lost_reason": client.lost_reason,
    }
    if stage != client.lead_stage:
        client.lead_stage_order = _next_order(stage)
    client.lead_stage = stage
    if stage == "won":
        client.status = "active"
        client.converted_at = client.converted_at or utcnow()
        client.lost_reason = None
    elif stage == "lost":
        client.status = "lead"
        client.lost_reason = lost_reason
        client.converted_at = None  # won → lost: a later win is a new conversion
    else:
        client.status = "lead"
        client.lost_reason = None
        client.converted_at = None
    new = {
        "lead_stage": client.lead_stage,
        "status": client.status,
        "lost_reason": client.lost_reason,
    }
    changes = {k: {"old": old[k], "new": new[k]} for k in old if old[k] != new[k]}
    if not changes:
        return {}
    db.session.flush()
    readable = readable_changes("client", changes)
    action = "status_changed"
    record_activity(
        actor, action, client, changes=readable, entity_type="client", client_id=client.id
    )
    announce(client)
    return readable


def convert_to_client(actor, client: Client) -> dict:
    """One action from lead to active client."""
    return move_to_stage(actor, client, "won")


def reorder_stage(actor, stage: str, ordered_ids: list) -> int:
    """Order the cards of one column as dragged; returns how many moved."""
    permissions.require(permissions.can_edit(actor))
    # Only the cards named: a stage like "won" holds every client ever converted.
    clients = {str(c.id): c for c in get_many("client", ordered_ids) if c.lead_stage == stage}
    moved = 0
    for position, raw in enumerate(ordered_ids, start=1):
        client = clients.get(str(raw))
        if client is not None and client.lead_stage_order != position:
            client.lead_stage_order = position
            moved += 1
    db.session.flush()
    return moved
