"""Who sees, changes and deletes tasks.

Owners, managers and members with `can_access_all_projects` see every task. Other members see
the tasks of the projects they are on, and the general tasks (no project) assigned to them or
created by them. Anyone who sees a task may work on it (edit, tick, checklist); deleting is for
owners, managers, `can_delete_records`, and the task's creator.
"""

from sqlalchemy import and_, exists, or_, true

from app.core.errors import PermissionDenied
from app.projects.models import ProjectMember
from app.projects.permissions import sees_all
from app.tasks.models import Task


def visible_condition(membership):
    """A WHERE clause: the tasks this member may see."""
    if sees_all(membership):
        return true()
    on_team = exists().where(
        ProjectMember.project_id == Task.project_id, ProjectMember.user_id == membership.user_id
    )
    mine = or_(
        Task.assigned_user_id == membership.user_id,
        Task.created_by_user_id == membership.user_id,
    )
    return or_(
        and_(Task.project_id.is_not(None), on_team),
        and_(Task.project_id.is_(None), mine),
    )


def can_delete(membership, task: Task) -> bool:
    return (
        membership.role in ("owner", "manager")
        or membership.has("can_delete_records")
        or task.created_by_user_id == membership.user_id
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message)
