"""Reading tasks: my tasks by due date (the studio's today), visibility per role, the list's
filters and groups, the board, the hub summary; constant query counts."""

from datetime import date, timedelta

from werkzeug.datastructures import MultiDict

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tasks import queries, services
from app.tasks.queries import TaskFilters
from tests.tasks.conftest import make_project, make_task, membership

TODAY = date(2026, 5, 13)


def flt(**args):
    return TaskFilters.from_args(MultiDict(args))


def test_my_task_buckets_around_today(owner, studio):
    me = str(owner.user_id)

    def due(days, **extra):
        day = (TODAY + timedelta(days=days)).isoformat() if days is not None else ""
        return make_task(owner, title=f"יעד {days}", due_date=day, assigned_user_id=me, **extra)

    late, late2 = due(-3), due(-1)
    today_urgent, today_low = due(0, priority="urgent"), due(0, priority="low")
    week_first, week_last = due(1), due(7)
    later = due(8)
    undated = due(None)
    done = due(-5)
    services.set_done(owner, done, True)
    make_task(owner, title="של מישהו אחר", due_date=TODAY.isoformat())
    buckets = queries.my_task_buckets(owner, today=TODAY)
    assert buckets["overdue"] == [late, late2]
    assert buckets["today"] == [today_urgent, today_low]
    assert buckets["week"] == [week_first, week_last]
    assert buckets["later"] == [later] and buckets["no_date"] == [undated]
    assert buckets["counts"] == {"overdue": 2, "today": 2, "week": 2, "later": 1, "no_date": 1}
    assert buckets["total"] == 8 and buckets["today_date"] == TODAY
    limited = queries.my_task_buckets(owner, limit=1, today=TODAY)
    assert limited["overdue"] == [late] and limited["counts"]["overdue"] == 2
    # The next day, today's tasks are late.
    tomorrow = queries.my_task_buckets(owner, today=TODAY + timedelta(days=1))
    assert tomorrow["counts"]["overdue"] == 4


def test_buckets_use_the_studio_timezone(owner, studio):
    studio.timezone = "Pacific/Kiritimati"  # UTC+14: usually already tomorrow
    db.session.flush()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert queries.studio_today(owner) == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()


def test_buckets_skip_archived_and_invisible_projects(owner, studio, seeded):
    member = membership(studio, "member")
    me = str(member.user_id)
    mine = db.session.get(services.Project, seeded["project_mine"])
    make_task(owner, mine, title="שלי בפרויקט", assigned_user_id=me)
    buckets = queries.my_task_buckets(member, today=TODAY)
    titles = {t.title for key in queries.BUCKET_KEYS for t in buckets[key]}
    assert titles == {"שלי בפרויקט", "לחדש ביטוח"}
    mine.archived_at = services.utcnow()
    db.session.flush()
    buckets = queries.my_task_buckets(member, today=TODAY)
    assert {t.title for t in buckets["no_date"]} == {"לחדש ביטוח"}


def test_members_see_their_projects_and_their_general_tasks(owner, studio, seeded):
    def titles(actor):
        return {t.title for t in queries.tasks_list(actor, flt(show="all")).items}

    everything = {
        "מדידות בדירה",
        "בחירת אריחים בווילה",
        "לחדש ביטוח",
        "להזמין כרטיסי ביקור",
        "ישיבת צוות שבועית",
    }
    assert titles(owner) == everything
    assert titles(membership(studio, "manager")) == everything
    member = membership(studio, "member")
    assert titles(member) == {"מדידות בדירה", "לחדש ביטוח", "להזמין כרטיסי ביקור"}
    assert queries.get_task(member, seeded["in_theirs"]) is None
    assert queries.get_task(member, seeded["general_other"]) is None
    assert queries.get_task(member, seeded["in_mine"]) is not None
    member.can_access_all_projects = True
    db.session.flush()
    assert titles(member) == everything


def test_list_filters_and_groups(owner, studio, seeded):
    manager = membership(studio, "manager")
    project = seeded["project_mine"]
    urgent = make_task(
        owner,
        title="דליפה במטבח",
        priority="urgent",
        due_date=TODAY.isoformat(),
        assigned_user_id=str(manager.user_id),
    )
    services.set_status(owner, urgent, "in_progress")

    def titles(**args):
        return [t.title for t in queries.tasks_list(owner, flt(**args), today=TODAY).items]

    assert titles(project=str(project)) == ["מדידות בדירה"]
    assert set(titles(project="none")) == {
        "לחדש ביטוח",
        "להזמין כרטיסי ביקור",
        "ישיבת צוות שבועית",
        "דליפה במטבח",
    }
    assert titles(assignee=str(manager.user_id)) == ["דליפה במטבח"]
    assert "לחדש ביטוח" not in titles(assignee="none") and len(titles(assignee="none")) == 4
    assert titles(priority="urgent") == ["דליפה במטבח"]
    assert titles(due="today") == ["דליפה במטבח"]
    assert titles(due="overdue") == []
    assert titles(q="דליפה") == ["דליפה במטבח"]
    assert titles(status="in_progress") == ["דליפה במטבח"]
    assert len(titles(due="none")) == 5
    page = queries.tasks_list(owner, flt(), today=TODAY)
    assert [g.key for g in page.groups] == ["todo", "in_progress"]
    assert page.groups[0].label == "לעשות" and page.groups[0].total == 5
    by_person = queries.tasks_list(owner, flt(group="assignee"), today=TODAY)
    assert by_person.groups[-1].label == "ללא אחראי/ת"
    services.set_done(owner, urgent, True)
    assert "דליפה במטבח" not in titles()
    assert titles(show="done") == ["דליפה במטבח"]
    # Bad values in the URL are ignored, not errors.
    junk = flt(
        project="zzz", assignee="x", due="yesterday", show="x", group="x", page="-3", per_page="7"
    )
    assert (
        junk.project,
        junk.assignee,
        junk.due,
        junk.show,
        junk.group,
        junk.page,
        junk.per_page,
    ) == ("", "", "", "open", "status", 1, 25)
    assert junk.args() == {}


def test_list_pages(owner):
    for i in range(30):
        make_task(owner, title=f"משימה {i:02d}")
    first = queries.tasks_list(owner, flt(), today=TODAY)
    second = queries.tasks_list(owner, flt(page="2"), today=TODAY)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (30, 2, 25, 5)
    assert first.has_next and second.has_prev and not second.has_next
    assert not {t.id for t in first.items} & {t.id for t in second.items}
    assert len(queries.tasks_list(owner, flt(page="9"), today=TODAY).items) == 5  # the last page


def test_board_columns_and_recent_done(owner):
    project = make_project(owner)
    a = make_task(owner, project, title="א")
    b = make_task(owner, project, title="ב")
    c = make_task(owner, title="ג")
    services.set_status(owner, b, "in_progress")
    services.set_done(owner, c, True)
    board = queries.board(owner)
    assert [col.key for col in board.columns] == ["todo", "in_progress", "review", "done"]
    cards = {col.key: [t.title for t in col.cards] for col in board.columns}
    assert cards == {"todo": ["א"], "in_progress": ["ב"], "review": [], "done": ["ג"]}
    # Finished long ago: off the /tasks board, still in the project's panel.
    services.set_done(owner, a, True)
    a.completed_at = services.utcnow() - timedelta(days=30)
    db.session.flush()
    assert "א" not in [t.title for t in queries.board(owner).tasks]
    assert "א" in [t.title for t in queries.board(owner, project_id=project.id).tasks]
    assert queries.project_counts(project.id, TODAY) == (1, 0)


def test_project_counts_and_summary(owner):
    from app.tasks.routes.panel import panel_summary

    project = make_project(owner)
    make_task(owner, project, due_date=(TODAY - timedelta(days=2)).isoformat())
    make_task(owner, project, title="בלי תאריך")
    make_task(owner, title="כללית")
    assert queries.project_counts(project.id, TODAY) == (2, 1)
    summary = panel_summary(project, owner)
    assert summary["value"] == 2 and summary["hint"] == "משימה אחת באיחור"


def test_query_counts_do_not_grow_with_tasks(owner, count_queries):
    project = make_project(owner)

    def add(n):
        for i in range(n):
            task = make_task(
                owner,
                project,
                title=f"משימה {i}",
                assigned_user_id=str(owner.user_id),
                due_date=(TODAY + timedelta(days=i % 9 - 3)).isoformat(),
            )
            from app.tasks import checklist

            checklist.add_item(owner, task, "פריט")

    def measure():
        db.session.expire_all()
        with count_queries() as q:
            queries.my_task_buckets(owner, today=TODAY)
            queries.tasks_list(owner, flt(show="all"), today=TODAY)
            queries.board(owner, today=TODAY)
            queries.board(owner, project_id=project.id, today=TODAY)
        return q.count

    add(5)
    few = measure()
    add(45)
    assert measure() == few


def test_other_studio_sees_nothing(other_studio, owner, studio):
    make_task(owner, title="סודי")
    db.session.commit()
    with tenant_scope(other_studio.id):
        theirs = membership(other_studio, "owner")
        assert queries.tasks_list(theirs, flt(show="all")).total == 0
        assert queries.my_task_buckets(theirs)["total"] == 0
