"""Changing projects: numbering, create, update (a form or one inline field, with the
configured status/phase transitions), team, archive, restore, delete.
Services take the acting membership, flush, and never commit.
"""

import re
import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.configuration import services as config
from app.contacts.models import Client
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db
from app.projects import permissions
from app.projects.fields import PROJECT_FIELDS, clean_project, project_display
from app.projects.models import Project, ProjectMember, ProjectSequence
from app.realtime import publish
from app.tenants.models import Membership

LIST_TOPIC = "projects"
CODE_PATTERN = re.compile(r"[A-Z0-9\-]{1,20}")
PREFIX_PATTERN = re.compile(r"[A-Z]{1,6}")


def project_topic(project_id) -> str:
    return f"project:{project_id}"


def announce(project, event: str = "entity_updated", **extra) -> None:
    payload = {"entity_type": "project", "entity_id": str(project.id)} | extra
    publish(LIST_TOPIC, event, **payload)
    publish(project_topic(project.id), event, **payload)


def _uuid(value):
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def get_project(membership, project_id) -> Project | None:
    """A project of the current studio that `membership` may see, or None."""
    project_id = _uuid(project_id)
    if project_id is None:
        return None
    return db.session.scalar(
        select(Project).where(Project.id == project_id, permissions.visible_condition(membership))
    )


# ---------------------------------------------------------------------------------------------
# Numbering: PRJ-001 per studio
# ---------------------------------------------------------------------------------------------


def _sequence(lock: bool = False) -> ProjectSequence:
    query = select(ProjectSequence)
    if lock:
        query = query.with_for_update()
    sequence = db.session.scalar(query)
    if sequence is None:
        sequence = ProjectSequence(prefix="PRJ", next_number=1)
        db.session.add(sequence)
        db.session.flush()
    return sequence


def next_code() -> str:
    """Take the next free code (the row lock makes two creations never share one)."""
    sequence = _sequence(lock=True)
    while True:
        code = f"{sequence.prefix}-{sequence.next_number:03d}"
        sequence.next_number += 1
        taken = db.session.scalar(select(Project.id).where(Project.code == code))
        if taken is None:
            return code


def code_prefix() -> str:
    return _sequence().prefix


def set_code_prefix(actor, prefix: str) -> None:
    if not actor.has("can_manage_settings"):
        permissions.require(False, _("אין לך הרשאה לשנות הגדרות."))
    prefix = (prefix or "").strip().upper()
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise ValidationFailed({"prefix": [_("קידומת של 1–6 אותיות באנגלית, לדוגמה PRJ.")]})
    _sequence(lock=True).prefix = prefix
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# Create and update
# ---------------------------------------------------------------------------------------------


def _check_client(values: dict, raw) -> dict:
    if raw in (None, ""):
        values["client_id"] = None
        return {}
    client_id = _uuid(raw)
    client = db.session.get(Client, client_id) if client_id else None
    if client is None:
        return {"client_id": [_("הלקוח לא נמצא.")]}
    values["client_id"] = client.id
    return {}


def _check_transitions(values: dict, project=None) -> dict:
    errors = {}
    for key, kind in (("status_key", "project_status"), ("phase_key", "project_phase")):
        if key not in values or values[key] is None:
            continue
        old = getattr(project, key, None) if project is not None else None
        try:
            config.validate_transition(kind, old, values[key], field=key)
        except config.InvalidTransition as error:
            errors[key] = [error.message]
    return errors


def _check_code(values: dict, raw, project=None) -> dict:
    code = (raw or "").strip().upper()
    if not code:
        return {}
    if not CODE_PATTERN.fullmatch(code):
        return {"code": [_("קוד של עד 20 תווים: אותיות באנגלית, ספרות ומקף.")]}
    clash = db.session.scalar(select(Project.id).where(Project.code == code))
    if clash is not None and (project is None or clash != project.id):
        return {"code": [_("הקוד %(code)s כבר בשימוש בפרויקט אחר.", code=code)]}
    values["code"] = code
    return {}


def create_project(actor, data: dict, *, member_ids=()) -> Project:
    """A new project from form data (raw strings); raises ValidationFailed."""
    permissions.require(permissions.can_create(actor), _("אין לך הרשאה ליצור פרויקטים."))
    data = dict(data)
    for key, kind in (("status_key", "project_status"), ("phase_key", "project_phase")):
        if not data.get(key):
            default = config.default_entry(kind)
            data[key] = default.key if default else None
    data.setdefault("priority", "medium")
    data.setdefault("billing_type", "fixed")
    values, errors = clean_project(data, actor, partial=False)
    errors |= _check_client(values, data.get("client_id"))
    errors |= _check_code(values, data.get("code"))
    errors |= _check_transitions(values)
    team, team_errors = check_team_ids(member_ids)
    errors |= team_errors
    if errors:
        raise ValidationFailed(errors)
    project = Project(
        code=values.pop("code", None) or next_code(),
        currency=actor.tenant.currency or "ILS",
        created_by_user_id=actor.user_id,
    )
    diff(project, values)
    db.session.add(project)
    db.session.flush()
    _set_members(project, team | {actor.user_id})
    record_activity(actor, "created", project, project_id=project.id)
    announce(project, "entity_created")
    return project


def _readable(key: str, value):
    """An old/new value for the activity log: names, not keys or ids."""
    if key == "client_id":
        client = db.session.get(Client, _uuid(value)) if value else None
        return client.name if client else None
    return project_display(key, value) or value


def update_project(actor, project: Project, data: dict) -> dict:
    """Change the fields present in `data`; returns the readable changes."""
    editable = {s.key for s in PROJECT_FIELDS}
    values, errors = clean_project(data, actor, partial=True, current=project)
    refused = [k for k in data if k in editable and k not in values and k not in errors]
    if refused:
        permissions.require(False, _("אין לך הרשאה לערוך נתונים כספיים."))
    if "client_id" in data:
        errors |= _check_client(values, data["client_id"])
    if "code" in data:
        errors |= _check_code(values, data["code"], project)
    errors |= _check_transitions(values, project)
    if errors:
        raise ValidationFailed(errors)
    changes = diff(project, values)
    if not changes:
        return {}
    db.session.flush()
    readable = {
        key: {
            "old": _readable(key, change["old"]),
            "new": _readable(key, change["new"]),
        }
        for key, change in changes.items()
    }
    action = "status_changed" if {"status_key", "phase_key"} & set(changes) else "updated"
    record_activity(actor, action, project, changes=readable, project_id=project.id)
    announce(project)
    return readable


# ---------------------------------------------------------------------------------------------
# Team
# ---------------------------------------------------------------------------------------------


def _set_members(project: Project, user_ids: set) -> None:
    current = {
        m.user_id: m
        for m in db.session.scalars(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        )
    }
    for user_id in user_ids - set(current):
        db.session.add(ProjectMember(project_id=project.id, user_id=user_id))
    for user_id in set(current) - user_ids:
        db.session.delete(current[user_id])
    db.session.flush()


def studio_members() -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.is_active.is_(True))))


def check_team_ids(user_ids, field: str = "members") -> tuple[set, dict]:
    """({user id}, errors): the ids must be active members of this studio (not another's)."""
    wanted = {_uuid(v) for v in user_ids or () if v not in (None, "")}
    active = {m.user_id for m in studio_members()} if wanted else set()
    if None in wanted or wanted - active:
        return set(), {field: [_("אפשר לשבץ רק אנשי צוות פעילים של הסטודיו.")]}
    return wanted, {}


def set_team(actor, project: Project, user_ids) -> bool:
    """Assign exactly these people (active members of the studio) to the project."""
    wanted = {i for i in (_uuid(v) for v in user_ids) if i is not None}
    active = {m.user_id for m in studio_members()}
    strangers = wanted - active
    if strangers:
        raise ValidationFailed({"members": [_("אפשר לשבץ רק אנשי צוות פעילים של הסטודיו.")]})
    before = {
        m.user_id
        for m in db.session.scalars(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        )
    }
    if before == wanted:
        return False
    _set_members(project, wanted)
    record_activity(
        actor,
        "assigned",
        project,
        changes={"members": {"old": len(before), "new": len(wanted)}},
        project_id=project.id,
    )
    announce(project)
    return True


def team_of(project_ids) -> dict:
    """{project_id: [User, ...]} for many projects in one query."""
    from app.auth.models import User

    ids = [i for i in project_ids]
    result = {i: [] for i in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(ProjectMember.project_id, User)
        .join(User, User.id == ProjectMember.user_id)
        .where(ProjectMember.project_id.in_(ids))
        .order_by(User.first_name)
    )
    for project_id, user in rows:
        result[project_id].append(user)
    return result


# ---------------------------------------------------------------------------------------------
# Archive, restore, delete
# ---------------------------------------------------------------------------------------------


def set_archived(actor, project: Project, archived: bool) -> bool:
    permissions.require(permissions.can_archive(actor), _("אין לך הרשאה להעביר לארכיון."))
    if project.is_archived == archived:
        return False
    project.archived_at = utcnow() if archived else None
    db.session.flush()
    record_activity(
        actor,
        "updated",
        project,
        changes={"archived": {"old": not archived, "new": archived}},
        project_id=project.id,
    )
    announce(project)
    return True


def delete_project(actor, project: Project, confirm_text: str) -> None:
    """For good, with its rooms and tasks: the owner only, after typing "מחק"."""
    permissions.require(permissions.can_delete(actor), _("רק בעלי הסטודיו יכולים למחוק פרויקט."))
    if (confirm_text or "").strip() not in (_("מחק"), "מחק"):
        raise ValidationFailed({"confirm_text": [_('כדי למחוק יש להקליד "מחק".')]})
    from app.projects.models import Room
    from app.tasks.models import ChecklistItem, Task

    record_activity(actor, "deleted", project, project_id=project.id)
    announce(project, "entity_deleted")
    # Explicit, not only ON DELETE CASCADE: SQLite (the `make run` default) doesn't enforce it.
    task_ids = select(Task.id).where(Task.project_id == project.id)
    db.session.execute(delete(ChecklistItem).where(ChecklistItem.task_id.in_(task_ids)))
    for model in (Task, Room, ProjectMember):
        db.session.execute(delete(model).where(model.project_id == project.id))
    db.session.delete(project)
    db.session.flush()


register_entity_kind(
    "project",
    _l("פרויקט"),
    {spec.key: spec.label for spec in PROJECT_FIELDS}
    | {
        "client_id": _l("לקוח"),
        "code": _l("קוד"),
        "members": _l("צוות"),
        "archived": _l("בארכיון"),
        "labels": _l("תגיות"),
    },
)
