"""The list: filters (in the URL) and one page of tasks grouped by status or assignee."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app.auth.models import User
from app.extensions import db
from app.projects.models import Project
from app.tasks import permissions
from app.tasks.models import TASK_PRIORITIES, Task
from app.tasks.queries.common import (
    _live_project,
    _loaded,
    _uuid,
    checklist_progress,
    priority_rank,
    status_entries,
    studio_today,
)
from app.tasks.queries.mine import WEEK_DAYS

DUE_FILTERS = ("overdue", "today", "week", "none")
SHOW_FILTERS = ("open", "all", "done")
GROUPS = ("status", "assignee")
PER_PAGE_CHOICES = (25, 50, 100)


@dataclass
class TaskFilters:
    project: str = ""  # "" any, "none" general tasks, or a project id
    assignee: str = ""  # "" anyone, "me", "none", or a user id
    status: list = field(default_factory=list)
    priority: list = field(default_factory=list)
    due: str = ""  # overdue / today / week / none
    q: str = ""
    show: str = "open"  # open / all / done
    group: str = "status"  # status / assignee
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_args(cls, args) -> "TaskFilters":
        def one_of(name, allowed, default=""):
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        project = (args.get("project") or "").strip()
        if project != "none" and _uuid(project) is None:
            project = ""
        assignee = (args.get("assignee") or "").strip()
        if assignee not in ("me", "none") and _uuid(assignee) is None:
            assignee = ""
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            page = 1
        try:
            per_page = int(args.get("per_page") or 25)
        except ValueError:
            per_page = 25
        return cls(
            project=project,
            assignee=assignee,
            status=[s[:64] for s in args.getlist("status") if s][:20],
            priority=[p for p in args.getlist("priority") if p in TASK_PRIORITIES],
            due=one_of("due", DUE_FILTERS),
            q=(args.get("q") or "").strip()[:100],
            show=one_of("show", SHOW_FILTERS, "open"),
            group=one_of("group", GROUPS, "status"),
            page=page,
            per_page=per_page if per_page in PER_PAGE_CHOICES else 25,
        )

    def args(self, **overrides) -> dict:
        """The filters as URL arguments, without defaults (links, forms, live refresh)."""
        values = {
            "project": self.project,
            "assignee": self.assignee,
            "status": self.status,
            "priority": self.priority,
            "due": self.due,
            "q": self.q,
            "show": "" if self.show == "open" else self.show,
            "group": "" if self.group == "status" else self.group,
            "page": self.page if self.page > 1 else None,
            "per_page": self.per_page if self.per_page != 25 else None,
        } | overrides
        return {k: v for k, v in values.items() if v not in (None, "", [])}

    @property
    def active_count(self) -> int:
        return sum(
            bool(v)
            for v in (
                self.project,
                self.assignee,
                self.status,
                self.priority,
                self.due,
                self.show != "open",
            )
        )


def _filtered(membership, filters: TaskFilters, today: date, *, statuses=True):
    conditions = [permissions.visible_condition(membership)]
    if filters.project == "none":
        conditions.append(Task.project_id.is_(None))
    elif filters.project:
        conditions.append(Task.project_id == _uuid(filters.project))
    else:
        conditions.append(_live_project())
    if filters.assignee == "me":
        conditions.append(Task.assigned_user_id == membership.user_id)
    elif filters.assignee == "none":
        conditions.append(Task.assigned_user_id.is_(None))
    elif filters.assignee:
        conditions.append(Task.assigned_user_id == _uuid(filters.assignee))
    if statuses and filters.status:
        conditions.append(Task.status_key.in_(filters.status))
    if filters.priority:
        conditions.append(Task.priority.in_(filters.priority))
    if filters.due == "overdue":
        conditions += [Task.due_date < today, Task.is_done.is_(False)]
    elif filters.due == "today":
        conditions.append(Task.due_date == today)
    elif filters.due == "week":
        conditions += [Task.due_date >= today, Task.due_date <= today + timedelta(WEEK_DAYS)]
    elif filters.due == "none":
        conditions.append(Task.due_date.is_(None))
    if filters.q:
        conditions.append(func.lower(Task.title).contains(filters.q.lower(), autoescape=True))
    return and_(*conditions)


# ---------------------------------------------------------------------------------------------
# The list, grouped by status or by assignee
# ---------------------------------------------------------------------------------------------


@dataclass
class Group:
    key: str
    label: str
    color: str | None
    total: int
    items: list = field(default_factory=list)


@dataclass
class TaskPage:
    groups: list
    total: int
    page: int
    per_page: int
    progress: dict  # {task_id: (done, total)}

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def items(self) -> list:
        return [task for group in self.groups for task in group.items]


def _status_order(entries):
    return case({e.key: i for i, e in enumerate(entries)}, value=Task.status_key, else_=999)


def tasks_list(membership, filters: TaskFilters, today: date | None = None) -> TaskPage:
    """One page of tasks in groups (five queries: statuses, group counts, tasks, checklists,
    and the names of the assignees when grouped by them)."""
    today = today or studio_today(membership)
    condition = _filtered(membership, filters, today)
    if filters.show == "open":
        condition = and_(condition, Task.is_done.is_(False))
    elif filters.show == "done":
        condition = and_(condition, Task.is_done.is_(True))
    entries = status_entries()
    if filters.group == "assignee":
        group_key = Task.assigned_user_id
        group_order = (
            case((Task.assigned_user_id.is_(None), 1), else_=0),
            User.first_name,
            User.last_name,
            Task.assigned_user_id,
        )
    else:
        group_key = Task.status_key
        group_order = (_status_order(entries), Task.status_key)
    counts = dict(
        db.session.execute(
            select(group_key, func.count(Task.id))
            .select_from(Task)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .group_by(group_key)
        ).all()
    )
    total = sum(counts.values())
    pages = max(1, -(-total // filters.per_page))
    page = min(filters.page, pages)
    tasks = []
    if total:
        query = (
            _loaded(select(Task))
            .outerjoin(Project, Project.id == Task.project_id)
            .outerjoin(User, User.id == Task.assigned_user_id)
            .where(condition)
            .order_by(
                *group_order,
                Task.due_date.is_(None),
                Task.due_date,
                priority_rank(),
                Task.order,
                Task.created_at,
                Task.id,
            )
            .limit(filters.per_page)
            .offset((page - 1) * filters.per_page)
        )
        tasks = list(db.session.scalars(query).unique())
    groups: list[Group] = []
    by_status = {e.key: e for e in status_entries(counts)}
    for task in tasks:
        key = task.assigned_user_id if filters.group == "assignee" else task.status_key
        if not groups or groups[-1].key != str(key):
            if filters.group == "assignee":
                label = task.assignee.full_name if task.assignee else str(_l("ללא אחראי/ת"))
                color = None
            else:
                entry = by_status.get(key)
                label, color = (entry.label, entry.color) if entry else (key, None)
            groups.append(Group(str(key), label, color, int(counts.get(key, 0))))
        groups[-1].items.append(task)
    progress = checklist_progress(t.id for t in tasks)
    return TaskPage(groups, total, page, filters.per_page, progress)


def all_matching_ids(membership, filters: TaskFilters) -> list:
    """Every task id the list's filters match (bulk "select all results")."""
    today = studio_today(membership)
    condition = _filtered(membership, filters, today)
    if filters.show == "open":
        condition = and_(condition, Task.is_done.is_(False))
    elif filters.show == "done":
        condition = and_(condition, Task.is_done.is_(True))
    return list(
        db.session.scalars(
            select(Task.id)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .limit(2000)
        )
    )
