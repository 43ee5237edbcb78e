"""The personal dashboard's read side: my projects (phase, status, next deadline, progress),
recent activity in them, and the first steps of a new studio.

Every function runs a fixed number of queries whatever the data size: the task numbers of all
listed projects come from one grouped subquery joined to the projects query.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import joinedload

from app.activity.models import ActivityLog
from app.configuration.models import ConfigurableEntity
from app.contacts.models import Client
from app.extensions import db
from app.projects import permissions
from app.projects.fields import PROJECT_FIELDS, ROOM_FIELDS
from app.projects.models import Project, ProjectMember
from app.tasks.models import Task
from app.tenants.models import Membership, TeamInvitation

PROJECTS_SHOWN = 8
ACTIVITY_SHOWN = 10
FINANCIAL_KEYS = frozenset(s.key for s in PROJECT_FIELDS + ROOM_FIELDS if s.financial)


@dataclass
class ProjectRow:
    project: Project
    client_name: str | None
    total_tasks: int
    done_tasks: int
    next_due: date | None  # the earliest due date of an open task
    is_mine: bool  # on the project's team

    @property
    def percent(self) -> int:
        return round(100 * self.done_tasks / self.total_tasks) if self.total_tasks else 0


def project_config() -> dict:
    """{"project_status": {key: entry}, "project_phase": {key: entry}} in one query."""
    kinds = ("project_status", "project_phase")
    found: dict = {kind: {} for kind in kinds}
    for entry in db.session.scalars(
        select(ConfigurableEntity)
        .where(ConfigurableEntity.entity_type.in_(kinds))
        .order_by(ConfigurableEntity.order)
    ):
        found[entry.entity_type][entry.key] = entry
    return found


def _task_numbers():
    """Per project: tasks in all, done, and the earliest open due date."""
    return (
        select(
            Task.project_id.label("project_id"),
            func.count(Task.id).label("total"),
            func.sum(case((Task.is_done.is_(True), 1), else_=0)).label("done"),
            func.min(case((Task.is_done.is_(False), Task.due_date))).label("next_due"),
        )
        .where(Task.project_id.is_not(None))
        .group_by(Task.project_id)
        .subquery()
    )


def my_projects(membership, closed_statuses, limit: int = PROJECTS_SHOWN):
    """(rows, how many in all): the open projects I am on, or all of the studio's for those
    who see all (mine first), soonest deadline first."""
    numbers = _task_numbers()
    mine = exists().where(
        ProjectMember.project_id == Project.id, ProjectMember.user_id == membership.user_id
    )
    statement = (
        select(
            Project,
            Client.name,
            func.coalesce(numbers.c.total, 0),
            func.coalesce(numbers.c.done, 0),
            numbers.c.next_due,
            mine.label("is_mine"),
            func.count(Project.id).over().label("in_all"),
        )
        .outerjoin(Client, Client.id == Project.client_id)
        .outerjoin(numbers, numbers.c.project_id == Project.id)
        .where(Project.archived_at.is_(None), permissions.visible_condition(membership))
        .order_by(
            mine.desc(),
            case((numbers.c.next_due.is_(None), 1), else_=0),
            numbers.c.next_due,
            Project.updated_at.desc(),
        )
        .limit(limit)
    )
    if closed_statuses:
        statement = statement.where(Project.status_key.not_in(list(closed_statuses)))
    rows, in_all = [], 0
    for project, client_name, total, done, next_due, is_mine, count in db.session.execute(
        statement
    ):
        rows.append(ProjectRow(project, client_name, int(total), int(done), next_due, is_mine))
        in_all = count
    return rows, in_all


class _Entry:
    """An activity entry as the dashboard shows it: the stored row with some changes left out
    (never written back: the row itself is not touched)."""

    def __init__(self, entry: ActivityLog, project_name: str, changes):
        self._entry, self.project_name, self.changes = entry, project_name, changes

    def __getattr__(self, name):
        return getattr(self._entry, name)


def project_activity(membership, limit: int = ACTIVITY_SHOWN) -> list:
    """The latest entries in the projects I see (not archived), newest first, one query.
    Budget and fee changes are left out for those who may not see financials."""
    hide_money = not membership.has("can_view_financials")
    rows = db.session.execute(
        select(ActivityLog, Project.name)
        .join(Project, Project.id == ActivityLog.project_id)
        .where(Project.archived_at.is_(None), permissions.visible_condition(membership))
        .options(joinedload(ActivityLog.user))
        .order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc())
        .limit(limit)
    )
    entries = []
    for entry, project_name in rows:
        changes = entry.changes
        if hide_money and changes:
            changes = {k: v for k, v in changes.items() if k not in FINANCIAL_KEYS} or None
        entries.append(_Entry(entry, project_name, changes))
    return entries


@dataclass
class Step:
    key: str
    done: bool


def first_steps(membership) -> list[Step] | None:
    """A new studio's checklist (add a client, create a project, invite the team) for those
    who can do them; None once the studio has both clients and projects."""
    if not permissions.can_create(membership):
        return None

    def count(column) -> int:
        return db.session.scalar(select(func.count(column)))

    has_client = count(Client.id) > 0
    has_project = count(Project.id) > 0
    if has_client and has_project:
        return None
    steps = [Step("client", has_client), Step("project", has_project)]
    if membership.has("can_manage_users"):
        has_team = count(Membership.id) > 1 or count(TeamInvitation.id) > 0
        steps.append(Step("team", has_team))
    return steps
