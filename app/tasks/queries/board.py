"""The board: tasks in one column per status (the /tasks board and a project's hub panel)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from app.core.db import utcnow
from app.extensions import db
from app.projects.models import Project
from app.tasks.models import Task
from app.tasks.queries.common import _loaded, checklist_progress, status_entries, studio_today
from app.tasks.queries.listing import TaskFilters, _filtered

CARDS_PER_COLUMN = 50
RECENT_DONE_DAYS = 14  # the board's final columns show what was finished lately


@dataclass
class Column:
    entry: object  # ConfigurableEntity
    total: int = 0
    cards: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.cards))


@dataclass
class Board:
    columns: list
    progress: dict
    project_id: object = None

    @property
    def total(self) -> int:
        return sum(c.total for c in self.columns)

    @property
    def open_total(self) -> int:
        return sum(c.total for c in self.columns if not c.entry.is_final)

    @property
    def tasks(self) -> list:
        return [t for c in self.columns for t in c.cards]


def board(
    membership,
    filters: TaskFilters | None = None,
    project_id=None,
    *,
    per_column: int = CARDS_PER_COLUMN,
    today: date | None = None,
) -> Board:
    """Tasks in one column per status (five queries whatever their number).

    On /tasks the final columns hold the tasks finished in the last two weeks; for one
    project (`project_id`, the hub panel) they hold all of them.
    """
    filters = filters or TaskFilters()
    today = today or studio_today(membership)
    if project_id is not None:
        filters = TaskFilters(**{**filters.__dict__, "project": str(project_id)})
    condition = _filtered(membership, filters, today, statuses=False)
    if project_id is None:
        since = utcnow() - timedelta(days=RECENT_DONE_DAYS)
        condition = and_(condition, or_(Task.is_done.is_(False), Task.completed_at >= since))
    totals = dict(
        db.session.execute(
            select(Task.status_key, func.count(Task.id))
            .select_from(Task)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .group_by(Task.status_key)
        ).all()
    )
    entries = status_entries(totals)
    if filters.status:
        entries = [e for e in entries if e.key in filters.status]
    columns = {e.key: Column(e, int(totals.get(e.key, 0))) for e in entries}
    if totals:
        order = (Task.order, Task.created_at, Task.id)
        ranked = (
            select(
                Task.id.label("id"),
                func.row_number().over(partition_by=Task.status_key, order_by=order).label("rank"),
            )
            .select_from(Task)
            .outerjoin(Project, Project.id == Task.project_id)
            .where(condition)
            .subquery()
        )
        cards = db.session.scalars(
            _loaded(select(Task))
            .join(ranked, ranked.c.id == Task.id)
            .where(ranked.c.rank <= per_column)
            .order_by(*order)
        ).unique()
        for card in cards:
            if card.status_key in columns:
                columns[card.status_key].cards.append(card)
    result = Board(list(columns.values()), {}, project_id)
    result.progress = checklist_progress(t.id for t in result.tasks)
    return result
