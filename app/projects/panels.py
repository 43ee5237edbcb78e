"""The hub's built-in panels: rooms, team, activity (tasks are registered by app.tasks).

Each summary is one query, whatever the size of the project, so the hub's cards cost the same
for a project with 2 rooms or 40. The panels' own fragments live in routes/rooms.py and
routes/hub.py; the read-side queries they share are here.
"""

from datetime import timedelta
from types import SimpleNamespace

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.activity.models import ActivityLog
from app.auth.models import User
from app.core.db import utcnow
from app.extensions import db
from app.projects import permissions
from app.projects.fields import PROJECT_FIELDS, ROOM_FIELDS
from app.projects.hub import Panel, register_panel
from app.projects.models import ProjectMember, Room
from app.tenants.models import Membership

ACTIVITY_PAGE = 20
ACTIVITY_RECENT_DAYS = 7
ROOM_DONE_STATUSES = ("approved", "completed")
# Fields whose old → new values need can_view_financials in the activity panel.
FINANCIAL_KEYS = {
    "project": {s.key for s in PROJECT_FIELDS if s.financial},
    "room": {s.key for s in ROOM_FIELDS if s.financial},
}


# ---------------------------------------------------------------------------------------------
# Team
# ---------------------------------------------------------------------------------------------


def project_team(project) -> list[User]:
    """The people assigned to the project (once per request: the info bar and the team card
    both show them)."""
    cache = g.setdefault("_project_team", {})
    if project.id not in cache:
        cache[project.id] = list(
            db.session.scalars(
                select(User)
                .join(ProjectMember, ProjectMember.user_id == User.id)
                .where(ProjectMember.project_id == project.id)
                .order_by(User.first_name, User.last_name)
            )
        )
    return cache[project.id]


def studio_people() -> list[tuple[Membership, User]]:
    """Active members of the studio with their users, in one query."""
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.is_active.is_(True))
        .order_by(User.first_name, User.last_name)
    )
    return [(m, u) for m, u in rows]


def team_summary(project, membership) -> dict:
    team = project_team(project)
    if not team:
        return {"value": 0, "hint": _("אף אחד עדיין לא משובץ")}
    names = ", ".join(u.first_name for u in team[:3])
    more = len(team) - 3
    if more > 0:
        names += " " + ngettext("ועוד אחד", "ועוד %(num)d", more)
    return {"value": len(team), "hint": names}


# ---------------------------------------------------------------------------------------------
# Rooms
# ---------------------------------------------------------------------------------------------


def rooms_summary(project, membership) -> dict:
    count, area, done = db.session.execute(
        select(
            func.count(Room.id),
            func.sum(Room.area),
            func.sum(case((Room.design_status.in_(ROOM_DONE_STATUSES), 1), else_=0)),
        ).where(Room.project_id == project.id)
    ).one()
    if not count:
        return {"value": 0, "hint": _("עוד אין חדרים")}
    parts = [ngettext("עיצוב אחד אושר", "%(num)d עיצובים אושרו", int(done or 0))]
    if area:
        parts.insert(0, _("%(area)s מ״ר", area=f"{area:,.0f}"))
    return {"value": count, "hint": " · ".join(parts)}


def room_task_counts(project) -> dict:
    """{room_id: (open, done)}: tasks linked to each room, in one grouped query."""
    from app.tasks.models import Task

    rows = db.session.execute(
        select(
            Task.linked_entity_id,
            func.sum(case((Task.is_done.is_(False), 1), else_=0)),
            func.sum(case((Task.is_done.is_(True), 1), else_=0)),
        )
        .where(Task.project_id == project.id, Task.linked_entity_type == "room")
        .group_by(Task.linked_entity_id)
    )
    return {room_id: (int(open_ or 0), int(done or 0)) for room_id, open_, done in rows}


# ---------------------------------------------------------------------------------------------
# Activity
# ---------------------------------------------------------------------------------------------


def activity_summary(project, membership) -> dict:
    since = utcnow() - timedelta(days=ACTIVITY_RECENT_DAYS)
    recent, total = db.session.execute(
        select(
            func.sum(case((ActivityLog.timestamp >= since, 1), else_=0)),
            func.count(ActivityLog.id),
        ).where(ActivityLog.project_id == project.id)
    ).one()
    if not total:
        return {"value": 0, "hint": _("עוד לא נרשמה פעילות")}
    return {"value": int(recent or 0), "hint": _("שינויים ב-7 הימים האחרונים")}


def _visible_changes(entry, membership) -> dict | None:
    if not entry.changes or membership.has("can_view_financials"):
        return entry.changes
    hidden = FINANCIAL_KEYS.get(entry.entity_type, set())
    return {k: v for k, v in entry.changes.items() if k not in hidden} or None


def project_activity(project, membership, offset: int = 0) -> tuple[list, bool]:
    """A page of what happened in the project (itself, its rooms, tasks...) and whether there
    is more. Everyone who sees the project sees its activity; budget and fee changes only with
    can_view_financials. Entries are copies, so hiding a change never touches the log."""
    entries = list(
        db.session.scalars(
            select(ActivityLog)
            .options(selectinload(ActivityLog.user))
            .where(ActivityLog.project_id == project.id)
            .order_by(ActivityLog.timestamp.desc(), ActivityLog.id.desc())
            .offset(max(offset, 0))
            .limit(ACTIVITY_PAGE + 1)
        )
    )
    shown = [
        SimpleNamespace(
            user=e.user,
            action=e.action,
            entity_type=e.entity_type,
            entity_name=e.entity_name,
            description=e.description,
            changes=_visible_changes(e, membership),
            timestamp=e.timestamp,
        )
        for e in entries[:ACTIVITY_PAGE]
    ]
    return shown, len(entries) > ACTIVITY_PAGE


def can_manage_team(membership) -> bool:
    """Owners and managers assign people; members see who is on the project."""
    return membership.role in ("owner", "manager")


def team_people(project) -> dict:
    """The team panel's people: assigned, who could be added, who sees it anyway."""
    people = studio_people()
    assigned = {u.id for u in project_team(project)}
    return {
        "members": [(m, u) for m, u in people if u.id in assigned],
        "candidates": [(m, u) for m, u in people if u.id not in assigned],
        "see_anyway": [
            (m, u) for m, u in people if u.id not in assigned and permissions.sees_all(m)
        ],
    }


register_panel(
    Panel(
        key="rooms",
        title=_l("חדרים"),
        icon="home",
        order=20,
        summary=rooms_summary,
        endpoint="projects.rooms_panel",
    )
)
register_panel(
    Panel(
        key="team",
        title=_l("צוות"),
        icon="users",
        order=90,
        summary=team_summary,
        endpoint="projects.team_panel",
    )
)
register_panel(
    Panel(
        key="activity",
        title=_l("פעילות"),
        icon="refresh",
        order=100,
        summary=activity_summary,
        endpoint="projects.activity_panel",
    )
)
