"""What the task readers share: the studio's today, visibility, loading, statuses,
checklist progress, people who may be assigned, and projects for pickers."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.fieldspec import config_entries
from app.extensions import db
from app.projects.models import Project, ProjectMember
from app.tasks import permissions
from app.tasks.models import TASK_PRIORITIES, ChecklistItem, Task
from app.tenants.models import Membership


def studio_today(membership) -> date:
    """Today's date in the studio's timezone."""
    return datetime.now(ZoneInfo(membership.tenant.timezone or "Asia/Jerusalem")).date()


def _uuid(value):
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def priority_rank():
    """urgent first, low last (for ORDER BY)."""
    return case(
        {p: i for i, p in enumerate(reversed(TASK_PRIORITIES))}, value=Task.priority, else_=9
    )


def _loaded(query):
    return query.options(joinedload(Task.assignee), joinedload(Task.project))


def _live_project():
    """General tasks, and tasks of projects that are not archived."""
    return or_(Task.project_id.is_(None), Project.archived_at.is_(None))


def _base(membership):
    return (
        select(Task)
        .outerjoin(Project, Project.id == Task.project_id)
        .where(permissions.visible_condition(membership))
    )


def get_task(membership, task_id) -> Task | None:
    """One task the member may see (its assignee and project loaded), or None: another
    studio's, hidden from this member, or deleted meanwhile."""
    task_id = _uuid(task_id)
    if task_id is None:
        return None
    return db.session.scalar(_loaded(_base(membership).where(Task.id == task_id)))


def status_entries(include_inactive_keys=()) -> list:
    """The studio's task statuses in order (active ones, plus inactive ones still in use)."""
    keep = set(include_inactive_keys)
    return [e for e in config_entries("task_status") if e.is_active or e.key in keep]


def checklist_progress(task_ids) -> dict:
    """{task_id: (done, total)} in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            ChecklistItem.task_id,
            func.count(ChecklistItem.id),
            func.sum(case((ChecklistItem.completed.is_(True), 1), else_=0)),
        )
        .where(ChecklistItem.task_id.in_(ids))
        .group_by(ChecklistItem.task_id)
    )
    return {task_id: (int(done or 0), int(total)) for task_id, total, done in rows}


def project_counts(project_id, today: date) -> tuple[int, int]:
    """(open tasks, overdue tasks) of one project, in one query (the hub's summary card)."""
    row = db.session.execute(
        select(
            func.count(Task.id),
            func.sum(case((Task.due_date < today, 1), else_=0)),
        ).where(Task.project_id == project_id, Task.is_done.is_(False))
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    first_name: str
    last_name: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def assignable_people(project_id=None) -> list[Person]:
    """Active members of the studio who can see the project (all of them for general tasks),
    by name, in one query."""
    query = (
        select(User.id, User.first_name, User.last_name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.is_active.is_(True), User.is_active.is_(True))
        .order_by(User.first_name, User.last_name)
    )
    if project_id is not None:
        on_team = (
            select(ProjectMember.id)
            .where(ProjectMember.project_id == project_id, ProjectMember.user_id == User.id)
            .exists()
        )
        query = query.where(
            or_(
                Membership.role.in_(("owner", "manager")),
                Membership.can_access_all_projects.is_(True),
                on_team,
            )
        )
    return [Person(*row) for row in db.session.execute(query)]


def visible_projects(membership) -> list:
    """(id, name, code) of the live projects the member sees, for pickers (one query)."""
    from app.projects.permissions import visible_condition

    return list(
        db.session.execute(
            select(Project.id, Project.name, Project.code)
            .where(Project.archived_at.is_(None), visible_condition(membership))
            .order_by(Project.name)
        )
    )
