"""Editing what a custom project template holds (its rooms, tasks and payment structure) and
duplicating a template. Built-in templates stay as shipped: duplicating one gives a custom copy
that can be edited.

The editor works on "rows": plain dicts of the strings a person typed, in order:

    {"rooms":    [{"name", "type_key"}],
     "tasks":    [{"id", "title", "phase", "offset_days", "duration_days", "assign_to_role",
                   "priority", "depends_on": [task ids], "checklist": "one item per line"}],
     "payments": [{"name", "type", "percentage", "trigger"}]}

`clean_contents` turns rows into the template's JSON (or errors keyed "<kind>-<index>-<field>",
or "<kind>" for a whole section); `save_contents` stores it; nothing is saved while any row is
wrong.
"""

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import PermissionDenied, ValidationFailed
from app.core.fieldspec import FieldSpec, clean_value, config_entries, text_field
from app.core.fieldspec import name_field as _name
from app.core.fieldspec import percent_field as _percent
from app.extensions import db
from app.projects import permissions
from app.projects.models import ProjectTemplate

KINDS = ("rooms", "tasks", "payments")
ROLES = ("owner", "manager", "member")
PRIORITIES = ("low", "medium", "high")
PAYMENT_TYPES = ("retainer", "milestone", "final")
MAX_ROWS = {"rooms": 100, "tasks": 200, "payments": 20}
MAX_CHECKLIST_ITEMS = 30
MAX_CHECKLIST_TEXT = 500
MAX_DAYS = 3650
TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
COPY_SUFFIX = _l(" (עותק)")

ROOM_NAME = _name("name", _l("שם החדר"))
TASK_TITLE = text_field("title", _l("משימה"), 500, required=True)
OFFSET = FieldSpec("offset_days", _l("יום"), "int", minimum=0, maximum=MAX_DAYS)
DURATION = FieldSpec("duration_days", _l("משך"), "int", minimum=0, maximum=MAX_DAYS)
PAYMENT_NAME = text_field("name", _l("תשלום"), 100, required=True)
PERCENTAGE = _percent("percentage", _l("אחוז"), required=True)
TRIGGER = text_field("trigger", _l("מתי"), 200)


# ---------------------------------------------------------------------------------------------
# Who may edit what
# ---------------------------------------------------------------------------------------------


def built_in_message() -> str:
    return _("תבנית מובנית נשארת כפי שהיא. שכפלו אותה כדי לערוך עותק משלכם.")


def require_editable(actor, template: ProjectTemplate) -> None:
    permissions.require(permissions.can_manage_templates(actor), _("אין לך הרשאה לנהל תבניות."))
    if template.is_built_in:
        raise PermissionDenied(built_in_message())


# ---------------------------------------------------------------------------------------------
# Rows: the template as the form shows it
# ---------------------------------------------------------------------------------------------


def _number_text(value) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else f"{number:.2f}"


def editor_rows(template: ProjectTemplate) -> dict:
    """The template's contents as the strings of the editor's fields."""
    return {
        "rooms": [
            {"name": r.get("name") or "", "type_key": r.get("type_key") or ""}
            for r in sorted(template.rooms or [], key=lambda r: r.get("order") or 0)
        ],
        "tasks": [
            {
                "id": str(t.get("id") or ""),
                "title": t.get("title") or "",
                "phase": t.get("phase") or "",
                "offset_days": _number_text(t.get("offset_days") or 0),
                "duration_days": _number_text(t.get("duration_days") or 0),
                "assign_to_role": t.get("assign_to_role") or "",
                "priority": t.get("priority") or "medium",
                "depends_on": [str(d) for d in t.get("depends_on") or []],
                "checklist": "\n".join(t.get("checklist") or []),
            }
            for t in template.tasks or []
        ],
        "payments": [
            {
                "name": p.get("name") or "",
                "type": p.get("type") or "milestone",
                "percentage": _number_text(p.get("percentage")),
                "trigger": p.get("trigger") or "",
            }
            for p in template.payment_structure or []
        ],
    }


def new_task_id(tasks: list[dict], taken=()) -> str:
    """The next free "t<n>" after every id in use (ids stay stable: dependencies name them)."""
    numbers = [
        int(match.group(1))
        for task_id in [t.get("id") or "" for t in tasks] + list(taken)
        if (match := re.fullmatch(r"t(\d{1,6})", str(task_id)))
    ]
    return f"t{max(numbers, default=0) + 1}"


def percentage_total(payments: list[dict]) -> Decimal | None:
    """The sum of the typed percentages that are numbers (None when none is)."""
    values = [clean_value(PERCENTAGE, p.get("percentage"))[0] for p in payments]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------


def _allowed_keys(kind: str, stored) -> set:
    """Configuration keys a select may hold: the studio's list, and what the template already
    holds (an entry retired or deleted since is kept rather than silently dropped)."""
    return {e.key for e in config_entries(kind)} | {s for s in stored if s}


def _clean_rooms(rows: list[dict], stored: list[dict], errors: dict) -> list[dict]:
    allowed = _allowed_keys("room_type", [r.get("type_key") for r in stored])
    rooms = []
    for index, row in enumerate(rows):
        name, error = clean_value(ROOM_NAME, row.get("name"))
        if error:
            errors[f"rooms-{index}-name"] = [error]
        type_key = (row.get("type_key") or "").strip() or None
        if type_key and type_key not in allowed:
            errors[f"rooms-{index}-type_key"] = [_("יש לבחור סוג חדר מהרשימה.")]
        rooms.append({"name": name, "type_key": type_key, "order": index + 1})
    return rooms


def _clean_checklist(text: str | None) -> tuple[list[str], str | None]:
    items = [" ".join(line.split()) for line in (text or "").splitlines()]
    items = [item for item in items if item]
    if len(items) > MAX_CHECKLIST_ITEMS:
        return items, _("עד %(max)d פריטים בצ׳קליסט.", max=MAX_CHECKLIST_ITEMS)
    if any(len(item) > MAX_CHECKLIST_TEXT for item in items):
        return items, _("כל פריט בצ׳קליסט עד %(max)d תווים.", max=MAX_CHECKLIST_TEXT)
    return items, None


def _task_ids(rows: list[dict], stored: list[dict]) -> list[str]:
    """Each row's id; a missing, malformed or repeated one gets a fresh id."""
    ids: list[str] = []
    for row in rows:
        task_id = str(row.get("id") or "").strip()
        if not TASK_ID.fullmatch(task_id) or task_id in ids:
            task_id = new_task_id(rows + stored, taken=ids)
        ids.append(task_id)
    return ids


def _choice(value, options, default=None):
    value = (value or "").strip()
    return value if value in options else default


def _clean_tasks(rows: list[dict], stored: list[dict], errors: dict) -> list[dict]:
    phases = _allowed_keys("project_phase", [t.get("phase") for t in stored])
    originals = {str(t.get("id")): t for t in stored}
    ids = _task_ids(rows, stored)
    tasks = []
    for index, (task_id, row) in enumerate(zip(ids, rows, strict=True)):
        values = {}
        for spec in (TASK_TITLE, OFFSET, DURATION):
            value, error = clean_value(spec, row.get(spec.key))
            if error:
                errors[f"tasks-{index}-{spec.key}"] = [error]
            values[spec.key] = value if value is not None else 0
        phase = (row.get("phase") or "").strip() or None
        if phase and phase not in phases:
            errors[f"tasks-{index}-phase"] = [_("יש לבחור שלב מהרשימה.")]
        role = _choice(row.get("assign_to_role"), ROLES)
        if (row.get("assign_to_role") or "").strip() and role is None:
            errors[f"tasks-{index}-assign_to_role"] = [_("יש לבחור אחת מהאפשרויות ברשימה.")]
        priority = _choice(row.get("priority"), PRIORITIES)
        if priority is None:
            errors[f"tasks-{index}-priority"] = [_("יש לבחור אחת מהאפשרויות ברשימה.")]
        checklist, error = _clean_checklist(row.get("checklist"))
        if error:
            errors[f"tasks-{index}-checklist"] = [error]
        # A dependency on a task that is no longer in the template is simply gone.
        depends_on = [d for d in dict.fromkeys(row.get("depends_on") or []) if d in ids]
        # Keys the editor does not show (a description, say) survive the edit.
        tasks.append(
            originals.get(task_id, {})
            | {
                "id": task_id,
                "title": values["title"],
                "phase": phase,
                "offset_days": values["offset_days"],
                "duration_days": values["duration_days"],
                "assign_to_role": role,
                "depends_on": depends_on,
                "checklist": checklist,
                "priority": priority or "medium",
            }
        )
    _refuse_cycles(tasks, errors)
    return tasks


def find_cycle(tasks: list[dict]) -> list[str] | None:
    """Task ids around a dependency cycle (first id repeated at the end), or None."""
    graph = {t["id"]: t.get("depends_on") or [] for t in tasks}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in graph:
        if state.get(root):
            continue
        path, stack = [root], [iter(graph[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif not state.get(nxt) and nxt in graph:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    return None


def _refuse_cycles(tasks: list[dict], errors: dict) -> None:
    cycle = find_cycle(tasks)
    if not cycle:
        return
    position = {t["id"]: i for i, t in enumerate(tasks)}

    def title(task_id):
        return tasks[position[task_id]]["title"] or _("משימה %(num)d", num=position[task_id] + 1)

    chain = ", ".join(
        _("״%(task)s״ תלויה ב״%(other)s״", task=title(a), other=title(b))
        for a, b in zip(cycle, cycle[1:], strict=False)
    )
    message = _(
        "התלויות יוצרות מעגל, ואף משימה בו לא תוכל להתחיל: %(chain)s. הסירו אחת מהתלויות.",
        chain=chain,
    )
    errors["tasks"] = [message]
    for task_id in cycle[:-1]:
        errors[f"tasks-{position[task_id]}-depends_on"] = [_("חלק ממעגל תלויות.")]


def _stored_percentage(value: Decimal):
    """JSON has no decimals: whole percentages as int (like the built-ins), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _clean_payments(rows: list[dict], errors: dict) -> list[dict]:
    payments, total = [], Decimal(0)
    for index, row in enumerate(rows):
        values = {}
        for spec in (PAYMENT_NAME, PERCENTAGE, TRIGGER):
            value, error = clean_value(spec, row.get(spec.key))
            if error:
                errors[f"payments-{index}-{spec.key}"] = [error]
            values[spec.key] = value
        kind = _choice(row.get("type"), PAYMENT_TYPES)
        if kind is None:
            errors[f"payments-{index}-type"] = [_("יש לבחור אחת מהאפשרויות ברשימה.")]
        percentage = values["percentage"] or Decimal(0)
        total += percentage
        payments.append(
            {
                "name": values["name"],
                "type": kind,
                "percentage": _stored_percentage(percentage),
                "trigger": values["trigger"],
            }
        )
    bad_numbers = any(k.startswith("payments-") and k.endswith("-percentage") for k in errors)
    if payments and total != 100 and not bad_numbers:
        errors["payments"] = [
            _(
                "סכום האחוזים בלוח התשלומים צריך להיות 100%% בדיוק (עכשיו %(total)s%%).",
                total=_number_text(total),
            )
        ]
    return payments


def clean_contents(template: ProjectTemplate, rows: dict) -> tuple[dict, dict]:
    """(contents for the template, errors); contents are usable only when errors is empty."""
    errors: dict[str, list[str]] = {}
    for kind in KINDS:
        if len(rows.get(kind) or []) > MAX_ROWS[kind]:
            errors[kind] = [_("אפשר עד %(max)d שורות כאן.", max=MAX_ROWS[kind])]
    contents = {
        "rooms": _clean_rooms(rows.get("rooms") or [], template.rooms or [], errors),
        "tasks": _clean_tasks(rows.get("tasks") or [], template.tasks or [], errors),
        "payment_structure": _clean_payments(rows.get("payments") or [], errors),
    }
    return contents, errors


# ---------------------------------------------------------------------------------------------
# Saving and duplicating
# ---------------------------------------------------------------------------------------------


def save_contents(actor, template: ProjectTemplate, rows: dict) -> None:
    """Replace the template's rooms, tasks and payment structure with `rows`, or raise
    ValidationFailed with every problem (nothing changed)."""
    require_editable(actor, template)
    contents, errors = clean_contents(template, rows)
    if errors:
        raise ValidationFailed(errors)
    # New lists (not changed in place) so SQLAlchemy sees the JSON columns change.
    template.rooms = contents["rooms"]
    template.tasks = contents["tasks"]
    template.payment_structure = contents["payment_structure"]
    db.session.flush()


def copy_name(name: str) -> str:
    suffix = str(COPY_SUFFIX)
    return name[: 100 - len(suffix)].rstrip() + suffix


def duplicate_template(actor, template: ProjectTemplate) -> ProjectTemplate:
    """A custom template with the same contents, named "<name> (עותק)", never used yet."""
    permissions.require(permissions.can_manage_templates(actor), _("אין לך הרשאה לנהל תבניות."))
    copy = ProjectTemplate(
        name=copy_name(template.name),
        description=template.description,
        category=template.category,
        type_key=template.type_key,
        defaults=dict(template.defaults or {}),
        rooms=[dict(r) for r in template.rooms or []],
        tasks=[dict(t) for t in template.tasks or []],
        payment_structure=[dict(p) for p in template.payment_structure or []],
        is_built_in=False,
        is_active=True,
        usage_count=0,
        created_by_user_id=actor.user_id,
    )
    db.session.add(copy)
    db.session.flush()
    return copy
