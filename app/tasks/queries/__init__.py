"""Reading tasks: "my tasks" buckets, the grouped list, the board, a project's tasks, counts.

Every reader takes the acting membership and only returns tasks it may see
(`permissions.visible_condition`); each runs a fixed number of queries, whatever the number of
tasks. "Today" is the studio's date (its timezone), not the server's.

    from app.tasks import queries
    buckets = queries.my_task_buckets(g.membership, limit=5)
    buckets["overdue"]            # [Task, ...] (assignee and project loaded), oldest first
    buckets["counts"]["overdue"]  # how many in all (the list holds at most `limit`)

    common.py   today, visibility, one task, statuses, checklist progress, people, projects
    mine.py     my tasks by due date
    listing.py  the list's filters (TaskFilters) and grouped pages
    board.py    columns per status (/tasks board, the hub panel)
"""

from app.tasks.queries.board import CARDS_PER_COLUMN, RECENT_DONE_DAYS, Board, Column, board
from app.tasks.queries.common import (
    Person,
    assignable_people,
    checklist_progress,
    get_task,
    priority_rank,
    project_counts,
    status_entries,
    studio_today,
    visible_projects,
)
from app.tasks.queries.listing import (
    DUE_FILTERS,
    GROUPS,
    PER_PAGE_CHOICES,
    SHOW_FILTERS,
    Group,
    TaskFilters,
    TaskPage,
    all_matching_ids,
    tasks_list,
)
from app.tasks.queries.mine import (
    BUCKET_KEYS,
    BUCKETS,
    WEEK_DAYS,
    bucket_expression,
    my_task_buckets,
)

__all__ = [
    "BUCKETS",
    "BUCKET_KEYS",
    "CARDS_PER_COLUMN",
    "DUE_FILTERS",
    "GROUPS",
    "PER_PAGE_CHOICES",
    "RECENT_DONE_DAYS",
    "SHOW_FILTERS",
    "WEEK_DAYS",
    "Board",
    "Column",
    "Group",
    "Person",
    "TaskFilters",
    "TaskPage",
    "all_matching_ids",
    "assignable_people",
    "board",
    "bucket_expression",
    "checklist_progress",
    "get_task",
    "my_task_buckets",
    "priority_rank",
    "project_counts",
    "status_entries",
    "studio_today",
    "tasks_list",
    "visible_projects",
]
