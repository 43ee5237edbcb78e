"""Bulk actions on selected projects, each returning what undoing it takes.

    result = apply(actor, ids, "status", "on_hold")
    result.count, result.undo, result.refused   # refused: [(project, message)] per row
    revert(actor, result.undo)

Status and phase moves follow the configured transitions project by project: the allowed ones
are made, the others are reported. Undo puts back what was there a moment ago, so it restores
the previous status or phase even when the configuration would not allow moving back.
"""

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.activity.services import diff, record_activity
from app.configuration import services as config
from app.core.errors import ValidationFailed
from app.extensions import db
from app.labels import services as labels
from app.projects import permissions, queries, services
from app.projects.fields import project_display

ACTIONS = (
    "assign",
    "unassign",
    "status",
    "phase",
    "label_add",
    "label_remove",
    "archive",
    "restore",
)
FIELDS = {"status": ("status_key", "project_status"), "phase": ("phase_key", "project_phase")}
MAX_SELECTION = 5000


@dataclass
class BulkResult:
    count: int
    undo: dict | None
    refused: list = field(default_factory=list)  # [(project, message)]


def _label(value):
    label = labels.get_label(value)
    if label is None:
        raise ValidationFailed({"action": [_("התגית לא נמצאה.")]})
    return label


def _studio_member(value) -> uuid.UUID:
    try:
        user_id = uuid.UUID(str(value))
    except ValueError:
        user_id = None
    if user_id is None or user_id not in {m.user_id for m in services.studio_members()}:
        raise ValidationFailed({"action": [_("אפשר לשבץ רק אנשי צוות פעילים של הסטודיו.")]})
    return user_id


def _labels(actor, projects, action: str, value) -> BulkResult:
    label = _label(value)
    change = labels.attach_label if action == "label_add" else labels.detach_label
    changed = [str(p.id) for p in projects if change(actor, label, "project", p.id, p.name)]
    for project in projects:
        services.announce(project)
    reverse = "label_remove" if action == "label_add" else "label_add"
    undo = {"action": reverse, "value": str(label.id), "ids": changed}
    return BulkResult(len(changed), undo if changed else None)


def _team(actor, projects, action: str, value) -> BulkResult:
    user_id = _studio_member(value)
    teams = services.team_of([p.id for p in projects])
    changed = []
    for project in projects:
        current = {user.id for user in teams[project.id]}
        wanted = current | {user_id} if action == "assign" else current - {user_id}
        if wanted != current:
            services.set_team(actor, project, wanted)
            changed.append(str(project.id))
    reverse = "unassign" if action == "assign" else "assign"
    undo = {"action": reverse, "value": str(user_id), "ids": changed}
    return BulkResult(len(changed), undo if changed else None)


def _move(actor, projects, action: str, value) -> BulkResult:
    """Status or phase, row by row: each project's own transition rules decide."""
    key, kind = FIELDS[action]
    target = config.get_by_key(kind, value)
    if target is None or not target.is_active:
        raise ValidationFailed({"action": [_("הערך שנבחר אינו קיים או הושבת.")]})
    previous, refused = {}, []
    for project in projects:
        old = getattr(project, key)
        try:
            if services.update_project(actor, project, {key: value}):
                previous[str(project.id)] = old
        except ValidationFailed as error:
            refused.append((project, " ".join(error.messages)))
    undo = {"action": "restore_values", "field": key, "values": previous}
    return BulkResult(len(previous), undo if previous else None, refused)


def _archive(actor, projects, archived: bool) -> BulkResult:
    permissions.require(permissions.can_archive(actor), _("אין לך הרשאה להעביר לארכיון."))
    changed = [str(p.id) for p in projects if services.set_archived(actor, p, archived)]
    undo = {"action": "restore" if archived else "archive", "ids": changed}
    return BulkResult(len(changed), undo if changed else None)


def apply(actor, ids: list, action: str, value: str | None = None) -> BulkResult:
    if action not in ACTIONS:
        raise ValidationFailed({"action": [_("יש לבחור פעולה.")]})
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed(
            {"action": [_("אפשר לבחור עד %(max)d פרויקטים בבת אחת.", max=MAX_SELECTION)]}
        )
    projects = queries.visible_projects(actor, ids)
    if not projects:
        raise ValidationFailed({"ids": [_("לא נבחרו פרויקטים.")]})
    if action in ("label_add", "label_remove"):
        return _labels(actor, projects, action, value)
    if action in ("assign", "unassign"):
        return _team(actor, projects, action, value)
    if action in FIELDS:
        return _move(actor, projects, action, value)
    return _archive(actor, projects, action == "archive")


def _restore(actor, project, key: str, old) -> bool:
    changes = diff(project, {key: old})
    if not changes:
        return False
    db.session.flush()
    readable = {
        key: {
            "old": project_display(key, changes[key]["old"]),
            "new": project_display(key, changes[key]["new"]),
        }
    }
    record_activity(actor, "status_changed", project, changes=readable, project_id=project.id)
    services.announce(project)
    return True


def revert(actor, undo: dict) -> int:
    """Reverse a bulk action from its undo payload; returns how many projects changed back."""
    if undo.get("action") == "restore_values":
        key = undo.get("field")
        if key not in {k for k, _kind in FIELDS.values()}:
            return 0
        values = undo.get("values") or {}
        projects = queries.visible_projects(actor, list(values))
        return sum(_restore(actor, p, key, values[str(p.id)]) for p in projects)
    return apply(actor, undo.get("ids") or [], undo["action"], undo.get("value")).count
