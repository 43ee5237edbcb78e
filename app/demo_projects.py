"""Demo projects for studio 1 (`flask seed-demo`): eight projects across every phase, most of
them made from the built-in templates, with rooms, a team, and tasks around today.

Start dates are counted back from the day the seed runs (in the studio's timezone), so the
dashboard always shows tasks that are overdue, due today and due this week. Tasks of the phases
a project has passed are done. Skipped when the studio already has projects.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect, select

from app.activity.models import ActivityLog
from app.activity.services import record_activity
from app.auth.models import User
from app.configuration import services as config
from app.contacts.models import Client
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import rooms, services, templates
from app.projects.builtin_templates import APARTMENT, OFFICE, VILLA
from app.projects.models import Project, ProjectTemplate, Room
from app.tasks.models import Task
from app.tenants.models import Membership

PHASES = ("consultation", "concept", "detailed_design", "procurement", "installation", "handover")
# How far the rooms' design has got when the project is in a phase.
ROOM_STATUS_BY_PHASE = {
    "consultation": "not_started",
    "concept": "concept",
    "detailed_design": "detailed",
    "procurement": "approved",
    "installation": "in_progress",
    "handover": "completed",
}
SLIPPED_DAYS = 3  # open tasks of the current phase are at most this many days late
OWNER, MANAGER, MEMBER = "owner@example.com", "manager@example.com", "member@example.com"

# One dict a project. `days_ago`: its start date before today; `team`: demo users' e-mails;
# `template`: a built-in template's name (None: from scratch, with `rooms` and `tasks`).
PROJECTS = (
    {
        "name": "דירת 5 חדרים בצפון הישן",
        "client": "דנה ויוסי כהן",
        "template": APARTMENT["name"],
        "address": "רחוב ארלוזורוב 112",
        "city": "תל אביב",
        "area": "128",
        "budget": "280000",
        "phase_key": "detailed_design",
        "status_key": "active",
        "priority": "high",
        "is_vip": True,
        "days_ago": 28,
        "team": (OWNER, MANAGER, MEMBER),
    },
    {
        "name": "בית קפה לחם בדיזנגוף",
        "client": 'קפה לחם בע"מ',
        "template": OFFICE["name"],
        "type_key": "shop",
        "address": "רחוב דיזנגוף 201",
        "city": "תל אביב",
        "area": "85",
        "budget": "210000",
        "phase_key": "procurement",
        "status_key": "active",
        "priority": "medium",
        "days_ago": 36,
        "team": (MANAGER, MEMBER),
    },
    {
        "name": "משרדי אופק - קומה 4",
        "client": "אופק טכנולוגיות",
        "template": OFFICE["name"],
        "address": "רחוב אבא אבן 10",
        "city": "הרצליה",
        "area": "420",
        "budget": "520000",
        "phase_key": "concept",
        "status_key": "active",
        "priority": "high",
        "is_vip": True,
        "days_ago": 12,
        "team": (OWNER, MANAGER),
    },
    {
        "name": "וילה משפחתית במודיעין",
        "client": "אריאל וסיון פרץ",
        "template": VILLA["name"],
        "address": "רחוב עמק החולה 18",
        "city": "מודיעין",
        "area": "260",
        "budget": "300000",
        "phase_key": "consultation",
        "status_key": "active",
        "priority": "medium",
        "days_ago": 8,
        "team": (OWNER, MEMBER),
    },
    {
        "name": "דירה משופצת ברחוב רוטשילד",
        "client": "רחל ישראלי",
        "template": APARTMENT["name"],
        "address": "רחוב רוטשילד 45",
        "city": "פתח תקווה",
        "area": "104",
        "budget": "140000",
        "phase_key": "installation",
        "status_key": "active",
        "priority": "medium",
        "days_ago": 64,
        "team": (MANAGER,),
    },
    {
        "name": "פנטהאוז בגבעתיים",
        "client": "יונתן בן דוד",
        "template": APARTMENT["name"],
        "address": "רחוב כצנלסון 88",
        "city": "גבעתיים",
        "area": "165",
        "budget": "120000",
        "phase_key": "concept",
        "status_key": "on_hold",
        "priority": "low",
        "days_ago": 16,
        "team": (OWNER,),
        "description": "הלקוח ביקש להשהות את הפרויקט עד לסיום ההליך מול הבנק.",
    },
    {
        "name": "דירת גן ברמת השרון",
        "client": "אורית ורון גרינברג",
        "template": APARTMENT["name"],
        "address": "רחוב סוקולוב 34",
        "city": "רמת השרון",
        "area": "140",
        "budget": "300000",
        "phase_key": "handover",
        "status_key": "closed",
        "priority": "medium",
        "days_ago": 160,
        "team": (OWNER, MANAGER),
    },
    {
        "name": "מטבח כפרי בעמק רפאים",
        "client": "תמר הלוי",
        "template": None,
        "type_key": "apartment",
        "address": "רחוב עמק רפאים 27",
        "city": "ירושלים",
        "area": "32",
        "budget": "95000",
        "phase_key": "handover",
        "status_key": "closed",
        "priority": "medium",
        "days_ago": 240,
        "team": (OWNER,),
        "archived": True,
        "rooms": (("מטבח", "kitchen", "18"), ("פינת אוכל", "living_room", "14")),
        "tasks": (
            ("פגישת היכרות והצגת תיק עבודות", 0, OWNER),
            ("תכנון המטבח ובחירת חזיתות", 20, OWNER),
            ("הזמנת משטח אבן ופרזול", 45, OWNER),
            ("פיקוח על התקנת המטבח", 80, OWNER),
        ),
    },
)

# General tasks (no project) per demo user: (title, due in days (negative: overdue), priority).
GENERAL_TASKS = {
    OWNER: (
        ("לחדש את ביטוח האחריות המקצועית", -3, "urgent"),
        ("שיחה עם רואה החשבון על הדוח הרבעוני", 0, "high"),
        ("להכין מצגת לתערוכת עיצוב הבית", 4, "medium"),
    ),
    MANAGER: (
        ("לבדוק את החשבונית של אור-לי תאורה", -1, "high"),
        ("לעדכן את יומן ההתקנות לשבוע הבא", 0, "medium"),
        ("לסגור מחירון שנתי עם קרמיקה הדר", 2, "medium"),
    ),
    MEMBER: (
        ("להזמין קטלוגים חדשים של בדי ריפוד", -2, "low"),
        ("להעלות תמונות מפרויקט גרינברג לאינסטגרם", 0, "medium"),
        ("לסדר את ספריית הדוגמאות בסטודיו", 3, "low"),
    ),
}


def _memberships() -> dict:
    """The demo team by e-mail (the studio's own memberships)."""
    rows = db.session.execute(
        select(User.email, Membership).join(Membership, Membership.user_id == User.id)
    )
    return dict(rows.all())


def _clients() -> dict:
    return {c.name: c for c in db.session.scalars(select(Client))}


def _built_in(name: str) -> ProjectTemplate | None:
    templates.ensure_built_ins()
    return db.session.scalar(
        select(ProjectTemplate).where(
            ProjectTemplate.is_built_in.is_(True), ProjectTemplate.name == name
        )
    )


def _as_utc(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo("UTC"))


class _Seeder:
    """Builds the demo projects as the owner, through the real services."""

    def __init__(self, tenant, actor):
        self.actor = actor
        self.today = datetime.now(ZoneInfo(tenant.timezone or "Asia/Jerusalem")).date()
        self.team = _memberships()
        self.clients = _clients()
        done = next((e for e in config.entries("task_status") if e.is_final), None)
        self.done_status = done.key if done else "done"

    def project(self, spec: dict) -> Project:
        start = self.today - timedelta(days=spec["days_ago"])
        client = self.clients.get(spec["client"])
        data = {
            key: spec[key]
            for key in ("name", "address", "city", "area", "budget", "phase_key", "status_key")
        } | {
            "priority": spec["priority"],
            "is_vip": spec.get("is_vip", False),
            "client_id": str(client.id) if client else "",
            "start_date": start.isoformat(),
            "description": spec.get("description", ""),
        }
        if spec.get("type_key"):
            data["type_key"] = spec["type_key"]
        if spec["status_key"] == "closed":
            data["actual_end_date"] = (start + timedelta(days=spec["days_ago"] - 10)).isoformat()
        else:
            data["expected_end_date"] = (start + timedelta(days=120)).isoformat()
        template = _built_in(spec["template"]) if spec["template"] else None
        if template is not None:
            project = templates.create_from_template(
                self.actor, template, data, include_tasks=False
            )
        else:
            project = services.create_project(self.actor, data)
            for name, type_key, area in spec.get("rooms", ()):
                rooms.add_room(
                    self.actor, project, {"name": name, "type_key": type_key, "area": area}
                )
        team = [self.team[email] for email in spec["team"] if email in self.team]
        services.set_team(self.actor, project, [m.user_id for m in team])
        tasks = self._tasks(project, spec, template, start, team)
        self._progress(project, spec, template, tasks)
        db.session.flush()
        self._backdate(project, start)
        if spec.get("archived"):
            services.set_archived(self.actor, project, True)
        return project

    def _tasks(self, project, spec, template, start, team) -> list[Task]:
        if template is not None:
            tasks = templates.create_tasks_from(self.actor, project, template.tasks, start)
        else:
            tasks = []
            for order, (title, offset, email) in enumerate(spec.get("tasks", ()), start=1):
                task = Task(
                    project_id=project.id,
                    title=title,
                    status_key=self.done_status,
                    start_date=start + timedelta(days=offset),
                    due_date=start + timedelta(days=offset + 3),
                    assigned_user_id=self.team[email].user_id if email in self.team else None,
                    order=order,
                    created_by_user_id=self.actor.user_id,
                )
                db.session.add(task)
                tasks.append(task)
            db.session.flush()
        # Roles the project's team lacks fall to someone in the studio: keep tasks in the team.
        on_team = {m.user_id for m in team}
        lead = next((m for m in team if m.role != "member"), team[0] if team else None)
        for task in tasks:
            if lead is not None and task.assigned_user_id not in on_team:
                task.assigned_user_id = lead.user_id
        return tasks

    def _progress(self, project, spec, template, tasks) -> None:
        """Tasks of passed phases are done (all of them in a closed project), and so are those
        of the current phase that were due more than a few days ago: what is left overdue
        slipped recently. Rooms follow the phase."""
        reached = PHASES.index(spec["phase_key"])
        closed = spec["status_key"] == "closed"
        phases = [t.get("phase") for t in template.tasks] if template else [None] * len(tasks)
        by_user = {m.user_id: m for m in self.team.values()}
        long_ago = self.today - timedelta(days=SLIPPED_DAYS)
        for task, phase in zip(tasks, phases, strict=True):
            index = PHASES.index(phase) if phase in PHASES else None
            passed = index is not None and index < reached
            current = index == reached and task.due_date is not None and task.due_date < long_ago
            if closed or passed or current:
                self._complete(task, by_user.get(task.assigned_user_id) or self.actor, project)
        status = ROOM_STATUS_BY_PHASE[spec["phase_key"]]
        for room in db.session.scalars(select(Room).where(Room.project_id == project.id)):
            room.design_status = status

    def _complete(self, task: Task, who, project) -> None:
        finished = min(task.due_date or self.today, self.today - timedelta(days=1))
        task.status_key, task.is_done = self.done_status, True
        task.completed_at = _as_utc(finished, 15)
        entry = record_activity(
            who,
            "status_changed",
            task,
            changes={"status_key": {"old": "לעשות", "new": "הושלם"}},
            project_id=project.id,
        )
        entry.timestamp = task.completed_at

    def _backdate(self, project: Project, start) -> None:
        """The project's own history (created, team, template) happened on its start date."""
        for entry in db.session.scalars(
            select(ActivityLog).where(
                ActivityLog.project_id == project.id, ActivityLog.entity_type != "task"
            )
        ):
            entry.timestamp = _as_utc(start, 9)

    def general_tasks(self) -> None:
        status = config.default_entry("task_status")
        for email, rows in GENERAL_TASKS.items():
            membership = self.team.get(email)
            if membership is None:
                continue
            for order, (title, days, priority) in enumerate(rows, start=1):
                task = Task(
                    title=title,
                    status_key=status.key if status else "todo",
                    priority=priority,
                    due_date=self.today + timedelta(days=days),
                    assigned_user_id=membership.user_id,
                    order=order,
                    created_by_user_id=membership.user_id,
                )
                db.session.add(task)
                db.session.flush()
                record_activity(membership, "created", task)


def seed_projects(tenant, actor=None) -> bool:
    """The demo projects and tasks for `tenant` as `actor` (default: the owner). False when
    it has projects already, or when the projects tables do not exist yet (an older schema)."""
    if not inspect(db.session.connection()).has_table("projects"):
        return False
    locale = current_app.config["BABEL_DEFAULT_LOCALE"]  # no request: the studio's language
    with tenant_scope(tenant.id), force_locale(locale):
        if db.session.scalar(select(Project.id).limit(1)) is not None:
            return False
        actor = actor or db.session.scalar(select(Membership).where(Membership.role == "owner"))
        seeder = _Seeder(tenant, actor)
        for spec in PROJECTS:
            seeder.project(spec)
        seeder.general_tasks()
        db.session.flush()
    return True
