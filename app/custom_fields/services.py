"""Custom field definitions: create, update, reorder, delete (rules and Hebrew errors).

The component other modules use lives in `app.custom_fields.component` and is re-exported
here: `custom_field_form`, `validate_and_save`, `values_for`, `definitions`.
"""

import re
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.core.errors import PermissionDenied, ValidationFailed
from app.custom_fields import types
from app.custom_fields.component import custom_field_form, validate_and_save  # noqa: F401
from app.custom_fields.models import (
    ENTITY_TYPES,
    FIELD_TYPES,
    CustomFieldDefinition,
    CustomFieldValue,
)
from app.custom_fields.queries import definitions, values_for  # noqa: F401
from app.extensions import db
from app.realtime import publish

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
# (x+)+, (x*)*, (x+)*, (x|y+){2,}: nested quantifiers that can take forever on some input
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}]\)\s*[+*{]")
FLAGS = ("show_in_list", "show_in_card", "show_in_portal", "show_in_filter")
SCALAR_FIELDS = (
    "name",
    "field_key",
    "field_type",
    "is_required",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "pattern",
    "pattern_message",
    "default_value",
    "placeholder",
    "help_text",
    *FLAGS,
    "group_name",
    "is_active",
)


def topic(entity_type: str) -> str:
    """The realtime topic of an entity type's definitions (the settings list re-fetches)."""
    return f"custom_fields:{entity_type}"


def can_view_definitions(membership) -> bool:
    return membership is not None and (
        membership.role in ("owner", "manager") or membership.has("can_manage_settings")
    )


def _require_settings(actor) -> None:
    if not actor.has("can_manage_settings"):
        raise PermissionDenied(_("אין לך הרשאה לשנות הגדרות."))


def _text(value) -> str | None:
    return str(value).strip() or None if value is not None else None


def _int(value) -> tuple[int | None, bool]:
    if value in (None, ""):
        return None, True
    try:
        return int(str(value).strip()), True
    except ValueError:
        return None, False


def _clean_options(raw_options, errors: dict) -> list[dict]:
    options, seen = [], set()
    for raw in raw_options or []:
        label = (raw.get("label") or "").strip()
        value = (raw.get("value") or "").strip() or label
        color = (raw.get("color") or "").strip()
        if not label:
            continue
        if len(label) > 100 or len(value) > 100:
            errors.setdefault("options", []).append(_("שם אפשרות יכול להכיל עד 100 תווים."))
            continue
        if color and not COLOR_PATTERN.fullmatch(color):
            errors.setdefault("options", []).append(
                _("הצבע של „%(label)s” אינו תקין (לדוגמה: #3399FF).", label=label)
            )
            continue
        if value in seen:
            errors.setdefault("options", []).append(
                _("האפשרות „%(label)s” מופיעה פעמיים: לכל אפשרות צריך ערך אחר.", label=label)
            )
            continue
        seen.add(value)
        options.append(
            {
                "value": value,
                "label": label,
                "color": color.upper() or None,
                "is_default": bool(raw.get("is_default")),
            }
        )
    return options


def clean_definition(entity_type: str, data: dict, definition=None) -> dict:
    """Check a definition's settings; return the cleaned values or raise ValidationFailed."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    if entity_type not in ENTITY_TYPES:
        raise ValidationFailed({"entity_type": [_("סוג ישות לא מוכר.")]})
    out = {name: data.get(name) for name in SCALAR_FIELDS}
    for name in FLAGS + ("is_required", "is_active"):
        out[name] = bool(data.get(name))
    for name in ("name", "field_key", "min_value", "max_value", "pattern", "pattern_message"):
        out[name] = _text(data.get(name))
    for name in ("default_value", "placeholder", "help_text", "group_name"):
        out[name] = _text(data.get(name))

    if not out["name"]:
        fail("name", _("שדה חובה."))
    elif len(out["name"]) > 100:
        fail("name", _("אפשר להזין עד 100 תווים."))
    kind = out["field_type"]
    if kind not in FIELD_TYPES:
        fail("field_type", _("יש לבחור סוג שדה מהרשימה."))
        raise ValidationFailed(errors)

    key = (out["field_key"] or "").lower()
    if not key:
        ascii_name = re.sub(r"[^a-z0-9]+", "_", (out["name"] or "").lower()).strip("_")
        key = ascii_name if KEY_PATTERN.fullmatch(ascii_name or "") else ""
        if not key:
            existing = db.session.scalar(
                select(func.count(CustomFieldDefinition.id)).where(
                    CustomFieldDefinition.entity_type == entity_type
                )
            )
            key = f"field_{existing + 1}"
    if not KEY_PATTERN.fullmatch(key):
        fail(
            "field_key",
            _("מפתח: אותיות באנגלית (קטנות), ספרות וקו תחתון, שמתחיל באות. לדוגמה: budget_range."),
        )
    else:
        same_key = select(CustomFieldDefinition.id).where(
            CustomFieldDefinition.entity_type == entity_type, CustomFieldDefinition.field_key == key
        )
        if definition is not None:
            same_key = same_key.where(CustomFieldDefinition.id != definition.id)
        if db.session.scalar(same_key):
            fail("field_key", _("כבר יש שדה עם המפתח „%(key)s” לסוג הזה.", key=key))
    out["field_key"] = key

    if definition is not None and definition.field_type != kind:
        used = db.session.scalar(
            select(func.count(CustomFieldValue.id)).where(
                CustomFieldValue.field_id == definition.id
            )
        )
        if used:
            fail("field_type", _("אי אפשר לשנות סוג של שדה שכבר נשמרו בו ערכים."))

    # min / max: numbers and amounts, dates
    bound_kind = kind in types.NUMERIC_TYPES or kind in types.DATE_TYPES
    bounds = {}
    for name in ("min_value", "max_value"):
        if out[name] is None:
            continue
        if not bound_kind:
            fail(name, _("ערך מינימלי ומקסימלי מתאימים רק למספר, סכום או תאריך."))
            continue
        bound = types.parse_bound(kind, out[name])
        if bound is None:
            fail(
                name,
                _("יש להזין מספר.")
                if kind in types.NUMERIC_TYPES
                else _("יש להזין תאריך (יום/חודש/שנה)."),
            )
        else:
            bounds[name] = bound
            out[name] = bound.isoformat() if kind in types.DATE_TYPES else format(bound, "f")
    if len(bounds) == 2 and bounds["min_value"] > bounds["max_value"]:
        fail("max_value", _("הערך המקסימלי חייב להיות גדול מהמינימלי או שווה לו."))

    # length and pattern: text-like fields
    for name in ("min_length", "max_length"):
        value, ok = _int(data.get(name))
        out[name] = value
        if value is None and ok:
            continue
        if kind not in types.TEXT_TYPES:
            fail(name, _("אורך מינימלי ומקסימלי מתאימים רק לשדות טקסט."))
        elif not ok or value < 0 or value > types.MAX_LENGTH[kind]:
            fail(name, _("יש להזין מספר שלם בין 0 ל-%(max)d.", max=types.MAX_LENGTH[kind]))
    if (
        out["min_length"] is not None
        and out["max_length"] is not None
        and not errors.get("min_length")
        and not errors.get("max_length")
        and out["min_length"] > out["max_length"]
    ):
        fail("max_length", _("האורך המקסימלי חייב להיות גדול מהמינימלי או שווה לו."))
    if out["pattern"]:
        if kind not in types.TEXT_TYPES:
            fail("pattern", _("תבנית מתאימה רק לשדות טקסט."))
        elif len(out["pattern"]) > 500:
            fail("pattern", _("אפשר להזין עד 500 תווים."))
        else:
            try:
                re.compile(out["pattern"])
            except re.error as error:
                fail("pattern", _("הביטוי הרגולרי אינו תקין: %(error)s", error=str(error)))
            else:
                if NESTED_QUANTIFIER.search(out["pattern"]):
                    fail("pattern", _("כמתים מקוננים, כמו (a+)+, עלולים לתקוע את המערכת."))
    if out["pattern_message"] and len(out["pattern_message"]) > 255:
        fail("pattern_message", _("אפשר להזין עד 255 תווים."))
    for name, limit in (("placeholder", 255), ("help_text", 500), ("group_name", 100)):
        if out[name] and len(out[name]) > limit:
            fail(name, ngettext("אפשר להזין תו אחד.", "אפשר להזין עד %(num)d תווים.", limit))

    # options: select and multiselect
    if kind in types.CHOICE_TYPES:
        out["options"] = _clean_options(data.get("options"), errors)
        if not out["options"] and not errors.get("options"):
            fail("options", _("לשדה בחירה צריך לפחות אפשרות אחת."))
        defaults = [o["value"] for o in out["options"] if o["is_default"]]
        if kind == "select" and len(defaults) > 1:
            fail("options", _("בשדה בחירה יחידה אפשר לסמן ברירת מחדל אחת בלבד."))
        if defaults and not out["default_value"]:
            out["default_value"] = defaults[0] if kind == "select" else defaults
    else:
        out["options"] = []

    # the default value must be a valid value of the field
    if out["default_value"] not in (None, "", []) and not errors:
        draft = SimpleNamespace(**{**out, "is_required": False})
        stored, error = types.clean(draft, out["default_value"])
        if error:
            fail("default_value", error)
        out["default_value"] = stored

    if errors:
        raise ValidationFailed(errors)
    return out


def _next_order(entity_type: str) -> int:
    highest = db.session.scalar(
        select(func.max(CustomFieldDefinition.order)).where(
            CustomFieldDefinition.entity_type == entity_type
        )
    )
    return (highest or 0) + 1


def create_definition(actor, entity_type: str, data: dict) -> CustomFieldDefinition:
    _require_settings(actor)
    values = clean_definition(entity_type, data)
    definition = CustomFieldDefinition(
        entity_type=entity_type, order=_next_order(entity_type), **values
    )
    db.session.add(definition)
    db.session.flush()
    record_activity(actor, "created", definition)
    publish(topic(entity_type), "entity_created", entity_type=entity_type, id=str(definition.id))
    return definition


def update_definition(actor, definition: CustomFieldDefinition, data: dict) -> dict:
    _require_settings(actor)
    values = clean_definition(definition.entity_type, data, definition)
    changes = diff(definition, values)
    if changes:
        db.session.flush()
        record_activity(actor, "updated", definition, changes=changes)
        publish(
            topic(definition.entity_type),
            "entity_updated",
            entity_type=definition.entity_type,
            id=str(definition.id),
        )
    return changes


def delete_definition(actor, definition: CustomFieldDefinition) -> int:
    """Delete the definition and its values; returns how many values went with it."""
    _require_settings(actor)
    values = list(
        db.session.scalars(
            select(CustomFieldValue).where(CustomFieldValue.field_id == definition.id)
        )
    )
    for value in values:
        db.session.delete(value)
    record_activity(
        actor,
        "deleted",
        definition,
        description=ngettext(
            "נמחק גם ערך אחד שנשמר בשדה.", "נמחקו גם %(num)d ערכים שנשמרו בשדה.", len(values)
        )
        if values
        else None,
    )
    db.session.delete(definition)
    db.session.flush()
    publish(
        topic(definition.entity_type),
        "entity_deleted",
        entity_type=definition.entity_type,
        id=str(definition.id),
    )
    return len(values)


def move_definition(actor, definition: CustomFieldDefinition, direction: str) -> bool:
    """Swap with the neighbour above ("up") or below ("down"); False at the edge."""
    _require_settings(actor)
    siblings = definitions(definition.entity_type, active_only=False)
    index = next(i for i, d in enumerate(siblings) if d.id == definition.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.order = position
    db.session.flush()
    record_activity(
        actor, "updated", definition, changes={"order": {"old": index + 1, "new": other + 1}}
    )
    publish(
        topic(definition.entity_type),
        "entity_updated",
        entity_type=definition.entity_type,
        id=str(definition.id),
    )
    return True


register_entity_kind(
    "custom_field_definition",
    _l("שדה מותאם"),
    {
        "name": _l("שם"),
        "field_type": _l("סוג"),
        "is_required": _l("חובה"),
        "is_active": _l("פעיל"),
        "group_name": _l("קבוצה"),
        "order": _l("סדר"),
    },
)
