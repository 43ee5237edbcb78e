"""Project templates (digest C §3.7): the built-ins, creating a project from a template (rooms,
tasks with day offsets, durations, roles and dependencies, checklists, payment structure),
saving a project as a template, editing and retiring templates.
"""

import uuid
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.activity.services import record_activity
from app.configuration import services as config
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db
from app.projects import permissions, services
from app.projects.builtin_templates import BUILT_IN_PROJECT_TEMPLATES
from app.projects.models import Project, ProjectMember, ProjectTemplate, Room
from app.tasks.models import ChecklistItem, Task


def ensure_built_ins() -> None:
    """Give the studio the built-in templates once (added lazily: older studios get them the
    first time they open the templates)."""
    if db.session.scalar(select(func.count(ProjectTemplate.id)).where(ProjectTemplate.is_built_in)):
        return
    for spec in BUILT_IN_PROJECT_TEMPLATES:
        db.session.add(ProjectTemplate(is_built_in=True, **spec))
    db.session.flush()


def templates(active_only: bool = True) -> list[ProjectTemplate]:
    ensure_built_ins()
    query = select(ProjectTemplate).order_by(
        ProjectTemplate.usage_count.desc(), ProjectTemplate.name
    )
    if active_only:
        query = query.where(ProjectTemplate.is_active.is_(True))
    return list(db.session.scalars(query))


def get_template(template_id) -> ProjectTemplate | None:
    try:
        template_id = uuid.UUID(str(template_id))
    except ValueError:
        return None
    return db.session.get(ProjectTemplate, template_id)


# ---------------------------------------------------------------------------------------------
# Using a template
# ---------------------------------------------------------------------------------------------


def _people_by_role(project: Project) -> dict:
    """role → a user id: prefer the project's own team, then anyone active in the studio."""
    from app.tenants.models import Membership

    team = set(
        db.session.scalars(
            select(ProjectMember.user_id).where(ProjectMember.project_id == project.id)
        )
    )
    chosen: dict = {}
    members = db.session.scalars(
        select(Membership).where(Membership.is_active.is_(True)).order_by(Membership.created_at)
    )
    for membership in sorted(members, key=lambda m: m.user_id not in team):
        chosen.setdefault(membership.role, membership.user_id)
    return chosen


def _default_task_status() -> str:
    entry = config.default_entry("task_status")
    return entry.key if entry else "todo"


def create_tasks_from(
    actor,
    project: Project,
    template_tasks: list,
    start: date | None,
    *,
    excluded=(),
    assign_to=None,
) -> list[Task]:
    """Tasks of a template in a project: dates from `start`, roles → people, dependencies
    re-pointed to the new tasks, checklists copied."""
    assign_to = assign_to or {}
    roles = _people_by_role(project)
    status = _default_task_status()
    highest = db.session.scalar(select(func.max(Task.order)).where(Task.project_id == project.id))
    created: dict[str, Task] = {}
    for position, spec in enumerate(template_tasks, start=(highest or 0) + 1):
        if spec.get("id") in excluded:
            continue
        offset, duration = int(spec.get("offset_days") or 0), int(spec.get("duration_days") or 0)
        starts = start + timedelta(days=offset) if start else None
        task = Task(
            project_id=project.id,
            title=spec["title"],
            description=spec.get("description"),
            status_key=status,
            priority=spec.get("priority") or "medium",
            start_date=starts,
            due_date=starts + timedelta(days=duration) if starts else None,
            assigned_user_id=assign_to.get(spec.get("id")) or roles.get(spec.get("assign_to_role")),
            order=position,
            created_by_user_id=actor.user_id,
        )
        db.session.add(task)
        created[spec.get("id") or str(position)] = task
    db.session.flush()
    for spec in template_tasks:
        task = created.get(spec.get("id"))
        if task is None:
            continue
        task.depends_on = [str(created[d].id) for d in spec.get("depends_on", []) if d in created]
        for order, text in enumerate(spec.get("checklist", []), start=1):
            db.session.add(ChecklistItem(task_id=task.id, text=text, order=order))
    db.session.flush()
    return list(created.values())


def create_from_template(
    actor,
    template: ProjectTemplate,
    data: dict,
    *,
    include_rooms=True,
    include_tasks=True,
    include_payments=True,
    excluded_rooms=(),
    renamed_rooms=None,
    excluded_tasks=(),
    task_assignees=None,
    member_ids=(),
) -> Project:
    """A project from `template`: name, client and start date from `data`, the rest from the
    template, each part optional; per-room rename/exclude and per-task exclude/assignee
    (active people of this studio only); `member_ids` the project's team."""
    if not template.is_active:
        raise ValidationFailed({"template_id": [_("התבנית הזו הושבתה.")]})
    defaults = template.defaults or {}
    data = {
        "type_key": template.type_key or "",
        "billing_type": defaults.get("billing_type", "fixed"),
        "revisions_included": str(defaults.get("revisions_included", 2)),
    } | {k: v for k, v in data.items() if v not in (None, "")}
    errors = {}
    if not data.get("start_date"):
        errors["start_date"] = [_("לפרויקט מתבנית צריך תאריך התחלה.")]
    _people, assignee_errors = services.check_team_ids(
        (task_assignees or {}).values(), "task_assignees"
    )
    errors |= assignee_errors
    try:
        project = services.create_project(actor, data, member_ids=member_ids)
    except ValidationFailed as error:
        raise ValidationFailed(error.errors | errors) from None
    if errors:
        raise ValidationFailed(errors)
    task_assignees = {k: services._uuid(v) for k, v in (task_assignees or {}).items() if v}
    project.template_id = template.id
    renamed_rooms = renamed_rooms or {}
    if include_rooms:
        for spec in template.rooms or []:
            key = str(spec.get("order"))
            if key in {str(x) for x in excluded_rooms}:
                continue
            db.session.add(
                Room(
                    project_id=project.id,
                    name=(renamed_rooms.get(key) or spec["name"])[:100],
                    type_key=spec.get("type_key"),
                    order=spec.get("order") or 0,
                )
            )
    if include_tasks:
        create_tasks_from(
            actor,
            project,
            template.tasks or [],
            project.start_date,
            excluded=set(excluded_tasks),
            assign_to=task_assignees,
        )
    if include_payments:
        project.payment_structure = list(template.payment_structure or [])
    template.usage_count = (template.usage_count or 0) + 1
    template.last_used_at = utcnow()
    db.session.flush()
    record_activity(
        actor,
        "updated",
        project,
        project_id=project.id,
        description=_("נוצר מהתבנית %(name)s", name=template.name),
    )
    return project


# ---------------------------------------------------------------------------------------------
# Managing templates
# ---------------------------------------------------------------------------------------------


def save_as_template(
    actor, project: Project, name: str, description: str | None = None
) -> ProjectTemplate:
    """The project's rooms, tasks (offsets from its start date, dependencies, checklists) and
    payment structure as a new template."""
    permissions.require(permissions.can_manage_templates(actor), _("אין לך הרשאה לנהל תבניות."))
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 100:
        raise ValidationFailed({"name": [_("יש להזין בין 2 ל-%(max)d תווים.", max=100)]})
    rooms = db.session.scalars(
        select(Room).where(Room.project_id == project.id).order_by(Room.order)
    )
    tasks = list(
        db.session.scalars(select(Task).where(Task.project_id == project.id).order_by(Task.order))
    )
    ids = {str(t.id): f"t{i}" for i, t in enumerate(tasks, start=1)}
    items = db.session.scalars(
        select(ChecklistItem)
        .where(ChecklistItem.task_id.in_([t.id for t in tasks]))
        .order_by(ChecklistItem.order)
    )
    checklists: dict = {}
    for item in items:
        checklists.setdefault(item.task_id, []).append(item.text)
    start = project.start_date
    template = ProjectTemplate(
        name=name,
        description=description,
        type_key=project.type_key,
        defaults={
            "billing_type": project.billing_type,
            "revisions_included": project.revisions_included,
        },
        rooms=[
            {"name": r.name, "type_key": r.type_key, "order": i} for i, r in enumerate(rooms, 1)
        ],
        tasks=[
            {
                "id": ids[str(t.id)],
                "title": t.title,
                "phase": None,
                "offset_days": (t.start_date - start).days
                if start and t.start_date
                else (t.due_date - start).days
                if start and t.due_date
                else 0,
                "duration_days": (t.due_date - t.start_date).days
                if t.due_date and t.start_date
                else 0,
                "assign_to_role": None,
                "depends_on": [ids[d] for d in t.depends_on or [] if d in ids],
                "checklist": checklists.get(t.id, []),
                "priority": t.priority if t.priority in ("low", "medium", "high") else "high",
            }
            for t in tasks
        ],
        payment_structure=list(project.payment_structure or []),
        created_by_user_id=actor.user_id,
    )
    db.session.add(template)
    db.session.flush()
    return template


def update_template(
    actor, template: ProjectTemplate, *, name: str, description: str | None, is_active: bool
) -> None:
    permissions.require(permissions.can_manage_templates(actor), _("אין לך הרשאה לנהל תבניות."))
    if template.is_built_in and (name != template.name):
        raise ValidationFailed({"name": [_("תבנית מובנית נשארת בשמה; שכפלו אותה כדי לשנות.")]})
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 100:
        raise ValidationFailed({"name": [_("יש להזין בין 2 ל-%(max)d תווים.", max=100)]})
    template.name, template.description, template.is_active = name, description, bool(is_active)
    db.session.flush()


def delete_template(actor, template: ProjectTemplate) -> None:
    permissions.require(permissions.can_manage_templates(actor), _("אין לך הרשאה לנהל תבניות."))
    if template.is_built_in:
        raise ValidationFailed({"": [_("אי אפשר למחוק תבנית מובנית; אפשר להשבית אותה.")]})
    db.session.delete(template)
    db.session.flush()
