"""/dashboard: my tasks by due date (in the studio's timezone), my projects with phase, next
deadline and progress, recent activity in them, empty states and first steps; roles, tenants
and a constant number of queries."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.activity.services import record_activity
from app.contacts.services import create_contact
from app.core.db import utcnow
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import services
from app.tasks.models import Task
from tests.conftest import login, post_form
from tests.factories import add_member
from tests.projects.conftest import HX, membership

JERUSALEM = ZoneInfo("Asia/Jerusalem")


def today() -> date:
    return datetime.now(JERUSALEM).date()


def project(actor, name, team=(), **data):
    """A project with `team` (memberships) on it besides its creator."""
    return services.create_project(
        actor, {"name": name} | data, member_ids=[m.user_id for m in team]
    )


def task(title, assignee, due=None, project=None, done=False, priority="medium"):
    row = Task(
        title=title,
        project_id=project.id if project else None,
        assigned_user_id=assignee.user_id,
        due_date=due,
        status_key="done" if done else "todo",
        is_done=done,
        completed_at=utcnow() if done else None,
        priority=priority,
    )
    db.session.add(row)
    db.session.flush()
    return row


def new_client(actor, name):
    data = {"name": name, "email": "client@example.com", "status": "active"}
    return create_contact(
        actor, "client", data | {"type": "individual", "preferred_communication": "phone"}
    )


def page(client, email="owner@a.test") -> str:
    login(client, email)
    response = client.get("/dashboard")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, element_id: str) -> str:
    """The markup of the card whose root has `element_id` (up to the next card)."""
    start = html.index(f'id="{element_id}"')
    ends = [html.find(f'id="{i}"', start + 1) for i in CARD_IDS if i != element_id]
    ends = [e for e in ends if e > start]
    return html[start : min(ends) if ends else len(html)]


CARD_IDS = ("dashboard-tasks", "dashboard-projects", "dashboard-activity", "dashboard-first-steps")


def bucket_of(html: str, title: str) -> str | None:
    """Which group of "my tasks" lists `title` (overdue / today / week), or None."""
    tasks = section(html, "dashboard-tasks")
    for match in re.finditer(r"dash-tasks__group--(\w+)", tasks):
        end = tasks.find("dash-tasks__group--", match.end())
        if title in tasks[match.end() : end if end > 0 else len(tasks)]:
            return match.group(1)
    return None


# ---------------------------------------------------------------------------------------------
# My tasks
# ---------------------------------------------------------------------------------------------


class FrozenDatetime(datetime):
    """Late evening of 10 March in UTC: already 11 March in Jerusalem."""

    instant = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.instant.astimezone(tz) if tz else cls.instant.replace(tzinfo=None)


def test_buckets_follow_the_studio_day(client, studio, owner, monkeypatch):
    monkeypatch.setattr("app.dashboard.routes.datetime", FrozenDatetime)
    member = membership(studio, "member")
    kitchen = project(owner, "מטבח בהרצליה", team=[member])
    day = date(2026, 3, 11)  # "today" in Jerusalem, "tomorrow" on a UTC clock
    task("לשלוח שרטוטים", member, day - timedelta(days=1), kitchen)
    task("להתקשר לנגר", member, day, kitchen, priority="urgent")
    task("לבחור אריחים", member, day + timedelta(days=7))
    task("להזמין ספה", member, day + timedelta(days=8))
    task("ללא תאריך", member)
    task("כבר נעשה", member, day, done=True)
    task("של מישהו אחר", owner, day, kitchen)
    html = page(client, "member@a.test")
    assert bucket_of(html, "לשלוח שרטוטים") == "overdue"
    assert bucket_of(html, "להתקשר לנגר") == "today"
    assert bucket_of(html, "לבחור אריחים") == "week"
    for hidden in ("להזמין ספה", "ללא תאריך", "כבר נעשה", "של מישהו אחר"):
        assert hidden not in section(html, "dashboard-tasks")
    tasks = section(html, "dashboard-tasks")
    assert "מטבח בהרצליה" in tasks and "דחופה" in tasks and "משימה כללית" in tasks
    assert "באיחור של יום" in tasks
    assert "/tasks" in tasks  # "לכל המשימות"


def test_each_bucket_shows_the_first_few_and_links_to_the_rest(client, studio, owner):
    for number in range(8):
        task(f"משימה להיום {number}", owner, today())
    html = page(client)
    tasks = section(html, "dashboard-tasks")
    assert tasks.count("dash-task__title") == 5
    assert "ועוד 3 משימות" in tasks


def test_no_open_tasks_explains_quick_add(client, studio, owner):
    tasks = section(page(client), "dashboard-tasks")
    assert "אין לך משימות פתוחות" in tasks and "@" in tasks


def test_quick_add_and_tick_done_from_the_dashboard(client, studio, owner):
    call = task("להתקשר לחשמלאי", owner, today())
    db.session.commit()
    html = page(client)
    tasks = section(html, "dashboard-tasks")
    assert 'action="/tasks/quick-add"' in tasks
    assert f'action="/tasks/{call.id}/done"' in tasks and 'name="done" value="1"' in tasks
    response = post_form(
        client, "/tasks/quick-add", {"line": "לשלוח הצעת מחיר מחר @אני"}, "/dashboard"
    )
    assert response.status_code == 302
    response = post_form(client, f"/tasks/{call.id}/done", {"done": "1"}, "/dashboard")
    assert response.status_code == 302
    tasks = client.get("/dashboard", headers=HX | {"HX-Target": "dashboard-tasks"})
    tasks = tasks.get_data(as_text=True)
    assert bucket_of(tasks, "לשלוח הצעת מחיר") == "week"
    assert "להתקשר לחשמלאי" not in tasks


def test_only_later_tasks_says_the_week_is_calm(client, studio, owner):
    task("בעוד חודש", owner, today() + timedelta(days=30))
    tasks = section(page(client), "dashboard-tasks")
    assert "אין משימות לשבוע הקרוב" in tasks and "בעוד חודש" not in tasks


# ---------------------------------------------------------------------------------------------
# My projects
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_other"), [("owner", True), ("manager", True), ("member", False)]
)
def test_members_see_their_projects_others_see_all(client, studio, owner, role, sees_other):
    member = membership(studio, "member")
    project(owner, "הפרויקט של מיכל", team=[member])
    project(owner, "פרויקט בלי מיכל")
    projects = section(page(client, f"{role}@a.test"), "dashboard-projects")
    assert "הפרויקט של מיכל" in projects
    assert ("פרויקט בלי מיכל" in projects) is sees_other


def test_project_row_shows_phase_status_client_deadline_and_progress(client, studio, owner):
    client_row = new_client(owner, "רון אלמוג")
    villa = project(
        owner, "וילה בסביון", client_id=str(client_row.id), phase_key="concept", is_vip=True
    )
    task("סקר צרכים", owner, today() - timedelta(days=10), villa, done=True)
    task("הצגת קונספט", owner, today() + timedelta(days=1), villa)
    task("מדידות", owner, today() + timedelta(days=5), villa)
    project(owner, "פרויקט סגור", status_key="closed")
    archived = project(owner, "פרויקט בארכיון")
    services.set_archived(owner, archived, True)
    projects = section(page(client), "dashboard-projects")
    assert "וילה בסביון" in projects and "רון אלמוג" in projects and "VIP" in projects
    assert "קונספט" in projects and "#B8D4E8" in projects  # the phase's configured colour
    assert "פעיל" in projects
    assert "מחר" in projects  # the earliest open task, not the done one
    assert "1/3" in projects
    assert f"/projects/{villa.id}" in projects
    assert "פרויקט סגור" not in projects and "פרויקט בארכיון" not in projects


def test_an_overdue_deadline_says_so(client, studio, owner):
    late = project(owner, "דירה באיחור")
    task("להזמין חומרים", owner, today() - timedelta(days=2), late)
    assert "באיחור של 2 ימים" in section(page(client), "dashboard-projects")


def test_at_most_eight_projects_and_a_link_to_the_rest(client, studio, owner):
    for number in range(10):
        project(owner, f"פרויקט מספר {number}")
    projects = section(page(client), "dashboard-projects")
    assert projects.count("פרויקט מספר") == 8
    assert "ועוד 2 פרויקטים" in projects and 'href="/projects"' in projects


def test_owner_sees_projects_they_are_on_first(client, studio, owner):
    manager = membership(studio, "manager")
    for number in range(9):
        project(manager, f"של דניאל {number}")
    mine = project(manager, "גם של נועה", team=[owner])
    projects = section(page(client), "dashboard-projects")
    assert "גם של נועה" in projects and projects.index("גם של נועה") < projects.index("של דניאל")
    assert str(mine.id) in projects


# ---------------------------------------------------------------------------------------------
# Activity
# ---------------------------------------------------------------------------------------------


def test_activity_of_my_projects_only_and_no_money_for_members(client, make_client, studio, owner):
    member = membership(studio, "member")
    shared = project(owner, "דירה משותפת", team=[member])
    services.update_project(owner, shared, {"budget": "123456", "city": "חולון"})
    hidden = project(owner, "פרויקט סודי")
    services.update_project(owner, hidden, {"city": "אילת"})
    record_activity(owner, "created", membership(studio, "manager"))  # not in a project
    db.session.commit()
    activity = section(page(client, "member@a.test"), "dashboard-activity")
    assert "דירה משותפת" in activity and "חולון" in activity
    assert "123,456" not in activity and "123456" not in activity and "תקציב" not in activity
    assert "פרויקט סודי" not in activity and "אילת" not in activity
    assert "/activity" in activity
    owner_view = section(page(make_client()), "dashboard-activity")
    assert "פרויקט סודי" in owner_view and "תקציב" in owner_view


def test_activity_shows_the_latest_ten(client, studio, owner):
    kitchen = project(owner, "מטבח")
    for number in range(15):
        services.update_project(owner, kitchen, {"city": f"עיר{number:02d}"})
    activity = section(page(client), "dashboard-activity")
    assert activity.count('class="activity__item"') == 10
    assert "עיר14" in activity and "עיר03" not in activity


# ---------------------------------------------------------------------------------------------
# Empty states and first steps
# ---------------------------------------------------------------------------------------------


def test_a_new_studio_sees_what_to_do_first(client, studio):
    html = page(client)
    projects = section(html, "dashboard-projects")
    assert "צרו פרויקט ראשון" in projects and "/projects?new=1" in projects
    assert "הוסיפו לקוח" in projects and "/contacts?tab=clients&amp;new=1" in projects
    steps = section(html, "dashboard-first-steps")
    assert "1 מתוך 3 הושלמו" in steps  # the team: a manager and a member are in already
    assert steps.count("is-done") == 1
    assert "עדיין אין פעילות" in section(html, "dashboard-activity")


def test_first_steps_tick_as_they_are_done_and_then_go(client, ctx):
    from tests.factories import make_studio

    tenant, _user = make_studio(name="סטודיו חדש", email="solo@a.test")
    login(client, "solo@a.test")

    def steps() -> str:
        html = client.get("/dashboard").get_data(as_text=True)
        return section(html, "dashboard-first-steps") if "dashboard-first-steps" in html else ""

    assert "0 מתוך 3 הושלמו" in steps() and "/settings/users#invite" in steps()
    with tenant_scope(tenant.id):
        solo = membership(tenant, "owner")
        new_client(solo, "דנה")
        db.session.commit()
    assert "1 מתוך 3 הושלמו" in steps()
    add_member(tenant, "helper@a.test", "member")
    assert "2 מתוך 3 הושלמו" in steps()
    with tenant_scope(tenant.id):
        project(solo, "הפרויקט הראשון")
        db.session.commit()
    assert steps() == ""
    assert "הפרויקט הראשון" in client.get("/dashboard").get_data(as_text=True)


def test_a_member_without_projects_is_told_to_wait_and_sees_no_checklist(client, studio):
    html = page(client, "member@a.test")
    assert "עדיין לא שובצת לפרויקט" in section(html, "dashboard-projects")
    assert "dashboard-first-steps" not in html and "צרו פרויקט ראשון" not in html


# ---------------------------------------------------------------------------------------------
# Fragments, queries, tenants
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("card", ["dashboard-tasks", "dashboard-projects", "dashboard-activity"])
def test_each_card_refreshes_alone(client, studio, owner, card):
    project(owner, "דירה")
    login(client, "owner@a.test")
    html = client.get("/dashboard", headers=HX | {"HX-Target": card}).get_data(as_text=True)
    assert html.lstrip().startswith(f'<div id="{card}"') and "<html" not in html
    assert 'data-realtime-topic="' in html


def _fill(owner, viewer, size: int) -> None:
    """`size` projects with the viewer on them, tasks of the viewer due around today (some
    done), a project change each, and general tasks."""
    for number in range(size):
        kitchen = project(owner, f"פרויקט {number}", team=[viewer])
        for offset in range(-2, 3):
            task(f"משימה {number}/{offset}", viewer, today() + timedelta(days=offset), kitchen)
        task(f"נעשתה {number}", viewer, today(), kitchen, done=True)
        services.update_project(owner, kitchen, {"city": f"עיר {number}"})
        task(f"כללית {number}", viewer, today())
    db.session.commit()


@pytest.mark.parametrize("role", ["owner", "member"])
def test_query_count_does_not_grow_with_the_data(client, studio, owner, count_queries, role):
    viewer = membership(studio, role)
    _fill(owner, viewer, 2)
    login(client, f"{role}@a.test")
    client.get("/dashboard")
    with count_queries() as few:
        assert client.get("/dashboard").status_code == 200
    _fill(owner, viewer, 12)
    with count_queries() as many:
        assert client.get("/dashboard").status_code == 200
    assert many.count == few.count, many.statements[few.count :]
    assert few.count <= 20, few.statements


def test_another_studio_never_shows(client, other_studio, studio, owner):
    member = membership(studio, "member")
    add_member(other_studio, "member@a.test", "member")
    with tenant_scope(other_studio.id):
        their_owner = membership(other_studio, "owner")
        their_member = membership(other_studio, "member")
        theirs = project(their_owner, "פרויקט של בית", team=[their_member])
        task("משימה של בית", their_member, today(), theirs)
        services.update_project(their_owner, theirs, {"area": "99"})
        db.session.commit()
    with tenant_scope(studio.id):
        ours = project(owner, "פרויקט של אלף", team=[member])
        task("משימה של אלף", member, today(), ours)
        db.session.commit()
    login(client, "member@a.test")
    for mine, name, foreign in ((studio, "אלף", "בית"), (other_studio, "בית", "אלף")):
        post_form(client, "/switch-studio", {"tenant_id": str(mine.id)}, page="/dashboard")
        html = client.get("/dashboard").get_data(as_text=True)
        assert f"פרויקט של {name}" in html and f"משימה של {name}" in html
        assert f"פרויקט של {foreign}" not in html and f"משימה של {foreign}" not in html
