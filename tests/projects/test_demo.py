"""`flask seed-demo` gives studio 1 eight projects with rooms, a team and tasks around today,
once."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.auth.models import User
from app.core.tenancy import tenant_scope
from app.demo import seed_demo
from app.extensions import db
from app.projects.models import Project, ProjectMember, Room
from app.tasks.models import Task
from app.tenants.models import Tenant


def studio(slug):
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def user_id(email):
    return db.session.scalar(select(User.id).where(User.email == email))


def counts() -> dict:
    return {
        model.__tablename__: db.session.scalar(select(func.count(model.id)))
        for model in (Project, ProjectMember, Room, Task)
    }


def test_seed_demo_adds_projects_once(app):
    with app.app_context():  # no request, as in `flask seed-demo`
        check_seed_demo()


def check_seed_demo():
    assert seed_demo() is True
    tenant = studio("demo-studio-1")
    today = datetime.now(ZoneInfo(tenant.timezone)).date()
    with tenant_scope(tenant.id):
        first = counts()
        projects = list(db.session.scalars(select(Project)))
        assert len(projects) == 8
        assert len({p.code for p in projects}) == 8
        assert set(Counter(p.phase_key for p in projects)) == {
            "consultation",
            "concept",
            "detailed_design",
            "procurement",
            "installation",
            "handover",
        }
        assert set(Counter(p.status_key for p in projects)) == {"active", "on_hold", "closed"}
        assert sum(p.is_archived for p in projects) == 1
        assert sum(p.is_vip for p in projects) >= 2
        assert sum(p.priority == "high" for p in projects) >= 2
        assert all(p.client_id and p.address and p.city for p in projects)
        assert sum(p.template_id is not None for p in projects) >= 6
        assert first["rooms"] >= 8 * 2

        member = user_id("member@example.com")
        on_team = db.session.scalars(
            select(ProjectMember.project_id).where(ProjectMember.user_id == member)
        ).all()
        assert len(on_team) == 3

        tasks = list(db.session.scalars(select(Task)))
        done = [t for t in tasks if t.is_done]
        assert done and all(t.status_key == "done" and t.completed_at for t in done)
        open_tasks = [t for t in tasks if not t.is_done and t.due_date]
        assert any(t.due_date < today for t in open_tasks)
        assert any(t.due_date == today for t in open_tasks)
        assert any(today < t.due_date <= today + timedelta(days=6) for t in open_tasks)
        # Project tasks stay with the project's team.
        teams = {}
        for row in db.session.execute(select(ProjectMember.project_id, ProjectMember.user_id)):
            teams.setdefault(row.project_id, set()).add(row.user_id)
        project_tasks = [t for t in tasks if t.project_id]
        assert all(t.assigned_user_id in teams[t.project_id] for t in project_tasks)
        # Every demo user has general tasks, one of them due today.
        general = [t for t in tasks if t.project_id is None]
        for email in ("owner@example.com", "manager@example.com", "member@example.com"):
            mine = [t for t in general if t.assigned_user_id == user_id(email)]
            assert len(mine) == 3 and any(t.due_date == today for t in mine)
        # The member has something overdue in a project of theirs.
        assert any(
            t.assigned_user_id == member and t.project_id and t.due_date < today for t in open_tasks
        )

    assert seed_demo() is False  # nothing is added twice
    with tenant_scope(tenant.id):
        assert counts() == first
    with tenant_scope(studio("demo-studio-2").id):
        assert counts() == dict.fromkeys(first, 0)
