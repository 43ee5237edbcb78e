"""Rooms of a project (spec entity 5): add, edit, delete, reorder."""

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.core.errors import ValidationFailed
from app.extensions import db
from app.projects.fields import ROOM_FIELDS, clean_room, room_display
from app.projects.models import Room
from app.projects.services import announce


def rooms_of(project) -> list[Room]:
    return list(
        db.session.scalars(
            select(Room).where(Room.project_id == project.id).order_by(Room.order, Room.created_at)
        )
    )


def get_room(project, room_id) -> Room | None:
    try:
        room_id = uuid.UUID(str(room_id))
    except ValueError:
        return None
    return db.session.scalar(select(Room).where(Room.id == room_id, Room.project_id == project.id))


def add_room(actor, project, data: dict) -> Room:
    data = {"design_status": "not_started"} | dict(data)
    values, errors = clean_room(data, actor, partial=False)
    if errors:
        raise ValidationFailed(errors)
    highest = db.session.scalar(select(func.max(Room.order)).where(Room.project_id == project.id))
    room = Room(project_id=project.id, order=(highest or 0) + 1)
    diff(room, values)
    db.session.add(room)
    db.session.flush()
    record_activity(actor, "created", room, project_id=project.id)
    announce(project, panel="rooms")
    return room


def update_room(actor, project, room: Room, data: dict) -> dict:
    values, errors = clean_room(data, actor, partial=True)
    refused = [
        k for k in data if k in {s.key for s in ROOM_FIELDS} and k not in values and k not in errors
    ]
    if refused:
        raise ValidationFailed({k: [_("אין לך הרשאה לערוך את השדה הזה.")] for k in refused})
    if errors:
        raise ValidationFailed(errors)
    changes = diff(room, values)
    if not changes:
        return {}
    db.session.flush()
    readable = {
        k: {
            "old": room_display(k, c["old"]) or c["old"],
            "new": room_display(k, c["new"]) or c["new"],
        }
        for k, c in changes.items()
    }
    record_activity(actor, "updated", room, changes=readable, project_id=project.id)
    announce(project, panel="rooms")
    return readable


def delete_room(actor, project, room: Room) -> None:
    # The budget goes into the log (not into the browser's undo token: it is financial).
    lost = {"budget": {"old": str(room.budget), "new": None}} if room.budget is not None else None
    record_activity(actor, "deleted", room, changes=lost, project_id=project.id)
    db.session.delete(room)
    db.session.flush()
    announce(project, panel="rooms")


def get_rooms(project, ids) -> list[Room]:
    wanted = []
    for raw in ids:
        try:
            wanted.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Room)
            .where(Room.project_id == project.id, Room.id.in_(wanted))
            .order_by(Room.order, Room.created_at)
        )
    )


UNDO_KEYS = ("name", "type_key", "area", "design_status", "notes", "order")


def room_snapshot(room: Room) -> dict:
    """What undoing a deletion needs, without the budget (it comes back from the log)."""
    snapshot = {key: getattr(room, key) for key in UNDO_KEYS} | {"id": str(room.id)}
    snapshot["area"] = str(room.area) if room.area is not None else None
    return snapshot


def restore_rooms(actor, project, snapshots: list) -> int:
    """Recreate deleted rooms with their ids (tasks linked to them find them again)."""
    from decimal import Decimal, InvalidOperation

    from app.activity.models import ActivityLog

    ids = [s.get("id") for s in snapshots if s.get("id")]
    existing = {str(r.id) for r in get_rooms(project, ids)}
    budgets = {}
    for entry in db.session.scalars(
        select(ActivityLog)
        .where(
            ActivityLog.entity_type == "room",
            ActivityLog.entity_id.in_(ids),
            ActivityLog.action == "deleted",
        )
        .order_by(ActivityLog.timestamp)
    ):
        budgets[entry.entity_id] = ((entry.changes or {}).get("budget") or {}).get("old")
    restored = 0
    for snapshot in snapshots:
        if snapshot.get("id") in existing:
            continue
        room = Room(id=uuid.UUID(snapshot["id"]), project_id=project.id)
        for key in UNDO_KEYS:
            setattr(room, key, snapshot.get(key))
        try:
            room.area = Decimal(snapshot["area"]) if snapshot.get("area") else None
            budget = budgets.get(snapshot["id"])
            room.budget = Decimal(budget) if budget not in (None, "None") else None
        except InvalidOperation:
            pass
        db.session.add(room)
        db.session.flush()
        record_activity(actor, "created", room, description=_("שוחזר"), project_id=project.id)
        restored += 1
    if restored:
        announce(project, panel="rooms")
    return restored


def reorder_rooms(actor, project, ordered_ids: list) -> int:
    rooms = {str(r.id): r for r in rooms_of(project)}
    moved = 0
    for position, raw in enumerate(ordered_ids, start=1):
        room = rooms.get(str(raw))
        if room is not None and room.order != position:
            room.order = position
            moved += 1
    if moved:
        db.session.flush()
        announce(project, panel="rooms")
    return moved


register_entity_kind("room", _l("חדר"), {spec.key: spec.label for spec in ROOM_FIELDS})
