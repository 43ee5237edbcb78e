"""Configuration lists (ConfigurableEntity): queries other modules use, and the settings edits.

Later modules call:

    from app.configuration import services as config
    config.entries("task_status")                     # active entries, in order
    config.get_by_key("task_status", "done")          # one entry or None
    config.default_entry("project_type")              # the kind's default (or None)
    config.validate_transition("task_status", old_key, new_key)  # raises InvalidTransition
    config.register_usage_check("project_type", count_projects_of_type, label=projects_label)
"""

import re
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.configuration.models import ENTITY_TYPES, STATUS_TYPES, ConfigurableEntity
from app.core.errors import ValidationFailed
from app.extensions import db
from app.realtime import publish

HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class InvalidTransition(ValidationFailed):
    """A status change the studio's configuration does not allow."""

    code = "INVALID_STATUS_TRANSITION"

    def __init__(self, message: str, field: str = "status"):
        super().__init__({field: [message]})
        self.message = message


# ---------------------------------------------------------------------------------------------
# "In use": later modules tell us how many of their rows use an entry.
# ---------------------------------------------------------------------------------------------

_usage_checks: dict[str, list[tuple[Callable, Callable | None]]] = {}


def register_usage_check(
    entity_type: str,
    fn: Callable[[ConfigurableEntity], int],
    label: Callable[[int], str] | None = None,
) -> None:
    """Register `fn(entry) -> int` (how many rows use `entry`); called at import time.

    `label(n)` words the count for the refusal message, e.g.
    `lambda n: ngettext("פרויקט אחד", "%(num)d פרויקטים", n)`.
    """
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"Unknown configurable kind {entity_type!r}")
    _usage_checks.setdefault(entity_type, []).append((fn, label))


def usage(entry: ConfigurableEntity) -> list[str]:
    """What uses `entry`, worded ("3 פרויקטים"); empty when nothing does."""
    found = []
    for fn, label in _usage_checks.get(entry.entity_type, []):
        count = int(fn(entry) or 0)
        if count:
            found.append(label(count) if label else ngettext("רשומה אחת", "%(num)d רשומות", count))
    return found


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def _check_kind(entity_type: str) -> None:
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"Unknown configurable kind {entity_type!r}")


def entries(entity_type: str, active_only: bool = True) -> list[ConfigurableEntity]:
    """The kind's entries in the studio's order (one query)."""
    _check_kind(entity_type)
    query = select(ConfigurableEntity).where(ConfigurableEntity.entity_type == entity_type)
    if active_only:
        query = query.where(ConfigurableEntity.is_active.is_(True))
    return list(
        db.session.scalars(query.order_by(ConfigurableEntity.order, ConfigurableEntity.name))
    )


def get_by_key(entity_type: str, key: str | None) -> ConfigurableEntity | None:
    if not key:
        return None
    return db.session.scalar(
        select(ConfigurableEntity).where(
            ConfigurableEntity.entity_type == entity_type, ConfigurableEntity.key == key
        )
    )


def default_entry(entity_type: str) -> ConfigurableEntity | None:
    return db.session.scalar(
        select(ConfigurableEntity).where(
            ConfigurableEntity.entity_type == entity_type,
            ConfigurableEntity.is_default.is_(True),
            ConfigurableEntity.is_active.is_(True),
        )
    )


def get_entry(entity_type: str, entry_id) -> ConfigurableEntity | None:
    return db.session.scalar(
        select(ConfigurableEntity).where(
            ConfigurableEntity.id == entry_id, ConfigurableEntity.entity_type == entity_type
        )
    )


# ---------------------------------------------------------------------------------------------
# Status transitions
# ---------------------------------------------------------------------------------------------


def can_transition(from_entry: ConfigurableEntity | None, to_entry: ConfigurableEntity) -> bool:
    if from_entry is None or from_entry.key == to_entry.key:
        return True
    allowed = list(from_entry.allowed_transitions or [])
    if to_entry.key in allowed:
        return True
    # An empty list means "any", except that a final status is left only through its list.
    return not allowed and not from_entry.is_final


def validate_transition(
    entity_type: str, from_key: str | None, to_key: str, field: str = "status"
) -> ConfigurableEntity:
    """Check a status change; return the target entry or raise `InvalidTransition`.

    `from_key=None` is a new record (any active status may be its first). Staying in the same
    status is always allowed.
    """
    _check_kind(entity_type)
    target = get_by_key(entity_type, to_key)
    if target is None or (not target.is_active and to_key != from_key):
        raise InvalidTransition(_("הסטטוס שנבחר אינו קיים או הושבת."), field)
    if from_key is None or from_key == to_key:
        return target
    source = get_by_key(entity_type, from_key)
    if source is None:
        return target  # the old status was deleted: any active status repairs it
    if not can_transition(source, target):
        if source.is_final and not source.allowed_transitions:
            message = _(
                '"%(old)s" הוא סטטוס סופי: אי אפשר לעבור ממנו ל"%(new)s".',
                old=source.name,
                new=target.name,
            )
        else:
            message = _(
                'אי אפשר לעבור מ"%(old)s" ל"%(new)s". אפשר לשנות את המעברים המותרים בהגדרות.',
                old=source.name,
                new=target.name,
            )
        raise InvalidTransition(message, field)
    return target


def allowed_targets(entity_type: str, from_key: str | None) -> list[ConfigurableEntity]:
    """Active entries a record in `from_key` may move to (including staying put)."""
    items = entries(entity_type)
    source = next((e for e in items if e.key == from_key), None)
    return [e for e in items if can_transition(source, e)]


# ---------------------------------------------------------------------------------------------
# Edits (settings page)
# ---------------------------------------------------------------------------------------------


def _announce(entry: ConfigurableEntity, event: str) -> None:
    publish(
        f"config:{entry.entity_type}",
        event,
        entity_type="configurable_entity",
        entity_id=str(entry.id),
    )


def _clean(name: str | None, name_en: str | None, color: str | None) -> tuple:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    name_en = (name_en or "").strip() or None
    color = (color or "").strip().upper() or None
    if not name:
        errors["name"] = [_("שדה חובה.")]
    elif len(name) > 100:
        errors["name"] = [_("עד 100 תווים.")]
    if name_en and len(name_en) > 100:
        errors["name_en"] = [_("עד 100 תווים.")]
    if color and not HEX_COLOR.fullmatch(color):
        errors["color"] = [_("צבע בפורמט ‎#RRGGBB‎, לדוגמה ‎#3399FF‎.")]
    if errors:
        raise ValidationFailed(errors)
    return name, name_en, color


def _check_unique_name(entity_type: str, name: str, exclude_id=None) -> None:
    query = select(ConfigurableEntity.id).where(
        ConfigurableEntity.entity_type == entity_type,
        func.lower(ConfigurableEntity.name) == name.lower(),
    )
    if exclude_id is not None:
        query = query.where(ConfigurableEntity.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationFailed({"name": [_("כבר יש ברשימה ערך בשם הזה.")]})


def _new_key(entity_type: str, name_en: str | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", (name_en or "").lower()).strip("_")[:50] or "item"
    taken = set(
        db.session.scalars(
            select(ConfigurableEntity.key).where(ConfigurableEntity.entity_type == entity_type)
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _clean_transitions(entity_type: str, key: str | None, transitions) -> list[str]:
    valid = {e.key for e in entries(entity_type, active_only=False)}
    chosen = [t for t in dict.fromkeys(transitions or []) if t != key]
    unknown = [t for t in chosen if t not in valid]
    if unknown:
        raise ValidationFailed({"allowed_transitions": [_("נבחר סטטוס שאינו קיים ברשימה.")]})
    return chosen


def create_entry(
    actor,
    entity_type: str,
    *,
    name: str,
    name_en: str | None = None,
    color: str | None = None,
    is_final: bool = False,
    allowed_transitions: list[str] | None = None,
) -> ConfigurableEntity:
    _check_kind(entity_type)
    name, name_en, color = _clean(name, name_en, color)
    _check_unique_name(entity_type, name)
    is_status = entity_type in STATUS_TYPES
    last = db.session.scalar(
        select(func.max(ConfigurableEntity.order)).where(
            ConfigurableEntity.entity_type == entity_type
        )
    )
    key = _new_key(entity_type, name_en)
    entry = ConfigurableEntity(
        entity_type=entity_type,
        key=key,
        name=name,
        name_en=name_en,
        color=color,
        order=(last or 0) + 1,
        is_default=default_entry(entity_type) is None,
        is_system=False,
        is_final=bool(is_final) if is_status else False,
        allowed_transitions=(
            _clean_transitions(entity_type, key, allowed_transitions) if is_status else []
        ),
        is_active=True,
    )
    db.session.add(entry)
    db.session.flush()
    record_activity(actor, "created", entry)
    _announce(entry, "entity_created")
    return entry


def update_entry(
    actor,
    entry: ConfigurableEntity,
    *,
    name: str,
    name_en: str | None = None,
    color: str | None = None,
    is_final: bool | None = None,
    allowed_transitions: list[str] | None = None,
) -> dict:
    """Rename, recolour and (status kinds) set final / allowed transitions; returns the diff."""
    name, name_en, color = _clean(name, name_en, color)
    _check_unique_name(entry.entity_type, name, exclude_id=entry.id)
    values = {"name": name, "name_en": name_en, "color": color}
    if entry.is_status_kind:
        if is_final is not None:
            values["is_final"] = bool(is_final)
        if allowed_transitions is not None:
            values["allowed_transitions"] = _clean_transitions(
                entry.entity_type, entry.key, allowed_transitions
            )
    changes = diff(entry, values)
    if changes:
        db.session.flush()
        record_activity(actor, "updated", entry, changes=changes)
        _announce(entry, "entity_updated")
    return changes


def set_default(actor, entry: ConfigurableEntity) -> None:
    """Make `entry` its kind's one default."""
    if not entry.is_active:
        raise ValidationFailed({"": [_("אי אפשר לקבוע ערך מושבת כברירת מחדל. הפעילו אותו קודם.")]})
    if entry.is_default:
        return
    for other in entries(entry.entity_type, active_only=False):
        if other.is_default and other.id != entry.id:
            record_activity(actor, "updated", other, changes=diff(other, {"is_default": False}))
    db.session.flush()  # one default at a time, also for a partial unique index later
    record_activity(actor, "updated", entry, changes=diff(entry, {"is_default": True}))
    db.session.flush()
    _announce(entry, "entity_updated")


def set_active(actor, entry: ConfigurableEntity, active: bool) -> None:
    if entry.is_active == active:
        return
    if not active and entry.is_default:
        raise ValidationFailed(
            {"": [_("אי אפשר להשבית את ברירת המחדל. קבעו ברירת מחדל אחרת ואז השביתו.")]}
        )
    record_activity(actor, "updated", entry, changes=diff(entry, {"is_active": active}))
    db.session.flush()
    _announce(entry, "entity_updated")


def delete_entry(actor, entry: ConfigurableEntity) -> None:
    """Delete a studio-made entry nothing uses; otherwise say why (deactivate instead)."""
    if entry.is_system:
        raise ValidationFailed(
            {"": [_("לא ניתן למחוק ערך מובנה של המערכת. אפשר להשבית אותו במקום.")]}
        )
    used = usage(entry)
    if used:
        raise ValidationFailed(
            {
                "": [
                    _(
                        "לא ניתן למחוק: בשימוש ב-%(usage)s. אפשר להשבית במקום.",
                        usage=", ".join(used),
                    )
                ]
            }
        )
    if entry.is_default:
        raise ValidationFailed(
            {"": [_("אי אפשר למחוק את ברירת המחדל. קבעו ברירת מחדל אחרת ואז מחקו.")]}
        )
    for other in entries(entry.entity_type, active_only=False):
        if other.id != entry.id and entry.key in (other.allowed_transitions or []):
            other.allowed_transitions = [k for k in other.allowed_transitions if k != entry.key]
    record_activity(actor, "deleted", entry)
    _announce(entry, "entity_deleted")
    db.session.delete(entry)
    db.session.flush()


def reorder(actor, entity_type: str, ordered_ids: list) -> int:
    """Save a new order (all the kind's entry ids, first to last); returns how many moved."""
    _check_kind(entity_type)
    items = entries(entity_type, active_only=False)
    by_id = {str(e.id): e for e in items}
    wanted = [str(i) for i in ordered_ids]
    if sorted(wanted) != sorted(by_id):
        raise ValidationFailed({"": [_("הרשימה השתנתה בינתיים. רעננו את הדף ונסו שוב.")]})
    moved = 0
    for position, entry_id in enumerate(wanted, start=1):
        entry = by_id[entry_id]
        changes = diff(entry, {"order": position})
        if changes:
            moved += 1
            record_activity(actor, "updated", entry, changes=changes)
    if moved:
        db.session.flush()
        publish(f"config:{entity_type}", "entity_updated", entity_type="configurable_entity")
    return moved


def move(actor, entry: ConfigurableEntity, direction: str) -> int:
    """Keyboard / no-JS reorder: one step "up" (earlier) or "down" (later)."""
    items = entries(entry.entity_type, active_only=False)
    ids = [e.id for e in items]
    index = ids.index(entry.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ids):
        return 0
    ids[index], ids[other] = ids[other], ids[index]
    return reorder(actor, entry.entity_type, ids)


register_entity_kind(
    "configurable_entity",
    _l("ערך ברשימה"),
    {
        "name": _l("שם"),
        "name_en": _l("שם באנגלית"),
        "color": _l("צבע"),
        "is_default": _l("ברירת מחדל"),
        "is_active": _l("פעיל"),
        "is_final": _l("סטטוס סופי"),
        "allowed_transitions": _l("מעברים מותרים"),
        "order": _l("סדר"),
    },
)
