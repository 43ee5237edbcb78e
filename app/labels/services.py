"""Labels: the studio's tags, and attaching them to any entity (project, client, task...).

Later modules call:

    from app.labels import services as labels
    labels.register_label_target("project", load=load_project, can_edit=can_edit_project)
    labels.labels_for("project", [p.id for p in page])      # {project_id: [Label, ...]}, 1 query
    labels.available_labels("project")                        # active labels for projects
    labels.attach_label(actor, label, "project", project.id)
    labels.detach_label(actor, label, "project", project.id)
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.core.errors import ValidationFailed
from app.extensions import db
from app.labels.models import LABEL_ENTITY_TYPES, EntityLabel, Label
from app.realtime import publish

HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
LIST_TOPIC = "labels"


def entity_topic(entity_type: str, entity_id) -> str:
    return f"labels:{entity_type}:{entity_id}"


# ---------------------------------------------------------------------------------------------
# Targets: which entity kinds the generic attach/detach routes may touch, and who may edit them.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelTarget:
    load: Callable  # (entity_id) -> the entity in the current tenant, or None
    can_edit: Callable  # (membership, entity) -> bool
    any_label: bool = False  # True: every active label applies (the settings preview)


_targets: dict[str, LabelTarget] = {}


def register_label_target(entity_type: str, load, can_edit, any_label: bool = False) -> None:
    """Let the widget's routes attach labels to `entity_type` (call at import time)."""
    _targets[entity_type] = LabelTarget(load, can_edit, any_label)


def label_target(entity_type: str) -> LabelTarget | None:
    return _targets.get(entity_type)


def _applies(label: Label, entity_type: str) -> bool:
    target = _targets.get(entity_type)
    return bool(target and target.any_label) or label.applies_to(entity_type)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def all_labels(active_only: bool = False) -> list[Label]:
    query = select(Label).order_by(Label.order, Label.name)
    if active_only:
        query = query.where(Label.is_active.is_(True))
    return list(db.session.scalars(query))


def get_label(label_id) -> Label | None:
    if not isinstance(label_id, uuid.UUID):
        try:
            label_id = uuid.UUID(str(label_id))
        except ValueError:
            return None
    return db.session.scalar(select(Label).where(Label.id == label_id))


def available_labels(entity_type: str) -> list[Label]:
    """Active labels that apply to `entity_type`, in the studio's order."""
    return [label for label in all_labels(active_only=True) if _applies(label, entity_type)]


def labels_for(entity_type: str, ids) -> dict:
    """{entity_id: [Label, ...]} for many entities in one query (list pages: no N+1)."""
    ids = [i if isinstance(i, uuid.UUID) else uuid.UUID(str(i)) for i in ids]
    result: dict = {i: [] for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(EntityLabel.entity_id, Label)
        .join(Label, Label.id == EntityLabel.label_id)
        .where(EntityLabel.entity_type == entity_type, EntityLabel.entity_id.in_(ids))
        .order_by(Label.order, Label.name)
    )
    for entity_id, label in rows:
        result.setdefault(entity_id, []).append(label)
    return result


def usage_counts() -> dict:
    """{label_id: how many entities carry it} in one query."""
    rows = db.session.execute(
        select(EntityLabel.label_id, func.count(EntityLabel.id)).group_by(EntityLabel.label_id)
    )
    return dict(rows.all())


# ---------------------------------------------------------------------------------------------
# Label edits (settings page)
# ---------------------------------------------------------------------------------------------


def _clean(name, color, entity_types, exclude_id=None) -> tuple:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    color = (color or "").strip().upper()
    entity_types = [t for t in dict.fromkeys(entity_types or [])]
    if not name:
        errors["name"] = [_("שדה חובה.")]
    elif len(name) > 50:
        errors["name"] = [_("עד 50 תווים.")]
    else:
        query = select(Label.id).where(func.lower(Label.name) == name.lower())
        if exclude_id is not None:
            query = query.where(Label.id != exclude_id)
        if db.session.scalar(query) is not None:
            errors["name"] = [_("כבר יש תגית בשם הזה.")]
    if not HEX_COLOR.fullmatch(color):
        errors["color"] = [_("צבע בפורמט ‎#RRGGBB‎, לדוגמה ‎#3399FF‎.")]
    if not entity_types:
        errors["entity_types"] = [_("בחרו לפחות סוג אחד.")]
    elif any(t not in LABEL_ENTITY_TYPES for t in entity_types):
        errors["entity_types"] = [_("סוג לא מוכר.")]
    if errors:
        raise ValidationFailed(errors)
    return name, color, entity_types


def _announce(label: Label, event: str) -> None:
    publish(LIST_TOPIC, event, entity_type="label", entity_id=str(label.id))


def create_label(actor, *, name, color, entity_types) -> Label:
    name, color, entity_types = _clean(name, color, entity_types)
    last = db.session.scalar(select(func.max(Label.order)))
    label = Label(
        name=name, color=color, entity_types=entity_types, order=(last or 0) + 1, is_active=True
    )
    db.session.add(label)
    db.session.flush()
    record_activity(actor, "created", label)
    _announce(label, "entity_created")
    return label


def update_label(actor, label: Label, *, name, color, entity_types) -> dict:
    name, color, entity_types = _clean(name, color, entity_types, exclude_id=label.id)
    changes = diff(label, {"name": name, "color": color, "entity_types": entity_types})
    if changes:
        db.session.flush()
        record_activity(actor, "updated", label, changes=changes)
        _announce(label, "entity_updated")
    return changes


def set_label_active(actor, label: Label, active: bool) -> None:
    changes = diff(label, {"is_active": active})
    if changes:
        db.session.flush()
        record_activity(actor, "updated", label, changes=changes)
        _announce(label, "entity_updated")


def delete_label(actor, label: Label) -> int:
    """Delete a label and take it off every entity; returns how many it was on."""
    attached = db.session.scalars(select(EntityLabel).where(EntityLabel.label_id == label.id)).all()
    for link in attached:
        db.session.delete(link)
    record_activity(
        actor,
        "deleted",
        label,
        description=ngettext("הוסרה מפריט אחד", "הוסרה מ-%(num)d פריטים", len(attached))
        if attached
        else None,
    )
    _announce(label, "entity_deleted")
    db.session.delete(label)
    db.session.flush()
    return len(attached)


def reorder_labels(actor, ordered_ids: list) -> int:
    labels = all_labels()
    by_id = {str(label.id): label for label in labels}
    wanted = [str(i) for i in ordered_ids]
    if sorted(wanted) != sorted(by_id):
        raise ValidationFailed({"": [_("הרשימה השתנתה בינתיים. רעננו את הדף ונסו שוב.")]})
    moved = 0
    for position, label_id in enumerate(wanted, start=1):
        changes = diff(by_id[label_id], {"order": position})
        if changes:
            moved += 1
            record_activity(actor, "updated", by_id[label_id], changes=changes)
    if moved:
        db.session.flush()
        publish(LIST_TOPIC, "entity_updated", entity_type="label")
    return moved


def move_label(actor, label: Label, direction: str) -> int:
    ids = [item.id for item in all_labels()]
    index = ids.index(label.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ids):
        return 0
    ids[index], ids[other] = ids[other], ids[index]
    return reorder_labels(actor, ids)


# ---------------------------------------------------------------------------------------------
# Attaching
# ---------------------------------------------------------------------------------------------


def _announce_attachment(label: Label, entity_type: str, entity_id) -> None:
    publish(entity_topic(entity_type, entity_id), "entity_updated", label_id=str(label.id))
    publish(LIST_TOPIC, "entity_updated", entity_type="label", entity_id=str(label.id))  # counts


@dataclass
class _EntityRef:
    """Stands in for the labelled entity in the activity log (only its id is needed)."""

    id: object
    name: str | None = None


def _names_on(entity_type, entity_id) -> list[str]:
    return [label.name for label in labels_for(entity_type, [entity_id]).get(entity_id, [])]


def attach_label(actor, label: Label, entity_type: str, entity_id, entity_name=None) -> bool:
    """Put `label` on the entity; False when it was already there."""
    entity_id = entity_id if isinstance(entity_id, uuid.UUID) else uuid.UUID(str(entity_id))
    if not label.is_active:
        raise ValidationFailed({"label_id": [_('התגית "%(name)s" מושבתת.', name=label.name)]})
    if not _applies(label, entity_type):
        raise ValidationFailed(
            {"label_id": [_('התגית "%(name)s" לא מתאימה לסוג הזה.', name=label.name)]}
        )
    existing = db.session.scalar(
        select(EntityLabel.id).where(
            EntityLabel.label_id == label.id,
            EntityLabel.entity_type == entity_type,
            EntityLabel.entity_id == entity_id,
        )
    )
    if existing is not None:
        return False
    before = _names_on(entity_type, entity_id)
    db.session.add(EntityLabel(label_id=label.id, entity_type=entity_type, entity_id=entity_id))
    db.session.flush()
    record_activity(
        actor,
        "updated",
        _EntityRef(entity_id, entity_name),
        entity_type=entity_type,
        changes={"labels": {"old": before, "new": _names_on(entity_type, entity_id)}},
    )
    _announce_attachment(label, entity_type, entity_id)
    return True


def detach_label(actor, label: Label, entity_type: str, entity_id, entity_name=None) -> bool:
    """Take `label` off the entity; False when it was not there."""
    entity_id = entity_id if isinstance(entity_id, uuid.UUID) else uuid.UUID(str(entity_id))
    link = db.session.scalar(
        select(EntityLabel).where(
            EntityLabel.label_id == label.id,
            EntityLabel.entity_type == entity_type,
            EntityLabel.entity_id == entity_id,
        )
    )
    if link is None:
        return False
    before = _names_on(entity_type, entity_id)
    db.session.delete(link)
    db.session.flush()
    record_activity(
        actor,
        "updated",
        _EntityRef(entity_id, entity_name),
        entity_type=entity_type,
        changes={"labels": {"old": before, "new": _names_on(entity_type, entity_id)}},
    )
    _announce_attachment(label, entity_type, entity_id)
    return True


register_entity_kind(
    "label",
    _l("תגית"),
    {
        "name": _l("שם"),
        "color": _l("צבע"),
        "entity_types": _l("חלה על"),
        "is_active": _l("פעילה"),
        "order": _l("סדר"),
        "labels": _l("תגיות"),
    },
)
