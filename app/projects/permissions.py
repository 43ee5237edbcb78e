"""Who sees and changes projects.

Owners and managers see every project, and so does anyone with `can_access_all_projects`;
other members see the projects they are assigned to. Anyone who sees a project may work in it
(tasks, rooms, inline edits); budget and fees follow the financial flags (fields.py).
Creating projects: owners, managers and members with "all projects". Archiving: owners,
managers or `can_delete_records`; deleting for good: the owner only, after typing "מחק".
"""

from sqlalchemy import exists, true

from app.core.errors import PermissionDenied
from app.projects.models import Project, ProjectMember


def sees_all(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_access_all_projects")


def visible_condition(membership):
    """A WHERE clause: the projects this member may see."""
    if sees_all(membership):
        return true()
    return exists().where(
        ProjectMember.project_id == Project.id, ProjectMember.user_id == membership.user_id
    )


def can_create(membership) -> bool:
    return sees_all(membership)


def can_archive(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_delete_records")


def can_delete(membership) -> bool:
    return membership.role == "owner"


def can_manage_templates(membership) -> bool:
    return membership.role in ("owner", "manager") or membership.has("can_manage_settings")


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message)
