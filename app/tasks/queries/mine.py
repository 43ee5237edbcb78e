"""My tasks: the member's open tasks by due date (overdue, today, the coming week, later, no
date), in two queries."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.projects.models import Project
from app.tasks import permissions
from app.tasks.models import Task
from app.tasks.queries.common import _live_project, _loaded, priority_rank, studio_today

BUCKETS = (
    ("overdue", _l("באיחור")),
    ("today", _l("היום")),
    ("week", _l("בשבוע הקרוב")),
    ("later", _l("מאוחר יותר")),
    ("no_date", _l("ללא תאריך")),
)
BUCKET_KEYS = tuple(key for key, _label in BUCKETS)
WEEK_DAYS = 7  # "this week" = the next seven days (a Friday still shows next Sunday's tasks)


def bucket_expression(today: date):
    return case(
        (Task.due_date.is_(None), "no_date"),
        (Task.due_date < today, "overdue"),
        (Task.due_date == today, "today"),
        (Task.due_date <= today + timedelta(days=WEEK_DAYS), "week"),
        else_="later",
    )


def my_task_buckets(membership, limit: int = 10, today: date | None = None) -> dict:
    """The member's open tasks by due date, in two queries.

    Returns {"overdue": [...], "today": [...], "week": [...], "later": [...], "no_date": [...],
    "counts": {bucket: n}, "total": n, "today_date": date}. Lists hold at most `limit` tasks
    each (assignee and project loaded), soonest first and the most urgent first within a day.
    Only tasks assigned to the member, in projects they can see (not archived) or general.
    """
    today = today or studio_today(membership)
    bucket = bucket_expression(today)
    condition = and_(
        Task.assigned_user_id == membership.user_id,
        Task.is_done.is_(False),
        _live_project(),
        permissions.visible_condition(membership),
    )
    counts = dict(
        db.session.execute(
            select(bucket.label("bucket"), func.count(Task.id))
            .select_from(Task)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .group_by(bucket)
        ).all()
    )
    result: dict = {key: [] for key in BUCKET_KEYS}
    if counts:
        order = (
            Task.due_date,
            Task.due_time,
            priority_rank(),
            Task.order,
            Task.created_at,
            Task.id,
        )
        ranked = (
            select(
                Task.id.label("id"),
                bucket.label("bucket"),
                func.row_number().over(partition_by=bucket, order_by=order).label("rank"),
            )
            .select_from(Task)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .subquery()
        )
        rows = db.session.execute(
            _loaded(select(Task, ranked.c.bucket))
            .join(ranked, ranked.c.id == Task.id)
            .where(ranked.c.rank <= limit)
            .order_by(ranked.c.bucket, ranked.c.rank)
        ).all()
        for task, key in rows:
            result[key].append(task)
    result["counts"] = {key: int(counts.get(key, 0)) for key in BUCKET_KEYS}
    result["total"] = sum(result["counts"].values())
    result["today_date"] = today
    return result
