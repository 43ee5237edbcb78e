"""The projects list (/projects): table and cards, filters in the URL, search, sort, pages, saved
views, bulk actions with undo; visibility per member, roles, two studios, and query counts."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from app.projects import services
from app.projects.models import Project, ProjectMember
from app.saved_views.models import SavedView
from tests.conftest import login, post_form
from tests.contacts.conftest import make_contact
from tests.factories import add_member
from tests.projects.conftest import EMAILS, HX, ROLES, make_project, membership


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, "owner@a.test")


def add_project(actor, member_ids=(), **data):
    """A project through the real service, with its team."""
    project = services.create_project(actor, {"name": "פרויקט"} | data, member_ids=member_ids)
    db.session.flush()
    return project


def seed(studio, count=3, member_ids=(), **extra) -> list:
    """`count` projects named "פרויקט 00".. by the owner; returns their ids."""
    with tenant_scope(studio.id):
        actor = membership(studio)
        ids = [
            add_project(actor, member_ids, name=f"פרויקט {i:02d}", **extra).id for i in range(count)
        ]
        db.session.commit()
    return ids


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def toast(response) -> dict:
    return json.loads(response.headers["HX-Trigger"])["toast"]


def bulk(client, data):
    return post_form(client, "/projects/bulk", data, page="/projects", headers=HX)


def undo(client, response):
    token = toast(response)["undo"]["token"]
    return post_form(client, "/projects/bulk/undo", {"token": token}, page="/projects", headers=HX)


def values(studio, column) -> dict:
    with tenant_scope(studio.id):
        return {p.name: getattr(p, column) for p in db.session.scalars(select(Project))}


# ---- the list -----------------------------------------------------------------------------------


def test_empty_states_then_table_and_cards(owner_client, studio):
    html = page_text(owner_client, "/projects")
    assert "עוד אין פרויקטים" in html and "פרויקט חדש" in html
    with tenant_scope(studio.id):
        actor = membership(studio)
        client = make_contact(actor, name="משפחת לוי")
        make_project(
            actor,
            name="דירה בהרצליה",
            client_id=str(client.id),
            phase_key="concept",
            is_vip="1",
            budget="250000",
            start_date="2026-03-01",
            expected_end_date="2026-09-01",
        )
        db.session.commit()
    html = page_text(owner_client, "/projects")
    assert "דירה בהרצליה" in html and "PRJ-001" in html and "משפחת לוי" in html
    assert f"/contacts/{client.id}" in html and "קונספט" in html and "פעיל" in html
    assert (
        "250,000 ₪" in html
        and 'aria-label="VIP"' in html
        and 'class="data-table projects-table"' in html
    )
    cards = page_text(owner_client, "/projects?view=cards")
    assert 'class="project-cards"' in cards and "דירה בהרצליה" in cards
    assert 'name="view" value="cards"' in cards  # kept when filtering
    fragment = owner_client.get("/projects?q=דירה", headers=HX | {"HX-Target": "projects-list"})
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith('<div id="projects-list"') and "<html" not in text


def test_filters_are_in_the_url(owner_client, studio):
    with tenant_scope(studio.id):
        actor = membership(studio)
        client = make_contact(actor, name="רותם שחר", city="חיפה")
        member_id = membership(studio, "member").user_id
        villa = add_project(
            actor,
            name="וילה בקיסריה",
            type_key="villa",
            phase_key="procurement",
            priority="high",
            is_vip="1",
            client_id=str(client.id),
            city="קיסריה",
            start_date="2026-01-10",
            expected_end_date="2026-12-01",
            member_ids=[str(member_id)],
        )
        office = make_project(
            actor, name="משרד הייטק", type_key="office", start_date="2026-06-01", priority="low"
        )
        services.update_project(actor, office, {"status_key": "on_hold"})
        old = make_project(actor, name="דירה ישנה")
        services.set_archived(actor, old, True)
        vip_label = labels.create_label(
            actor, name="יוקרה", color="#AA0000", entity_types=["project"]
        )
        labels.attach_label(actor, vip_label, "project", office.id, office.name)
        label_id, client_id, villa_code = vip_label.id, client.id, villa.code
        db.session.commit()

    def names(url):
        html = page_text(owner_client, url)
        return {n for n in ("וילה בקיסריה", "משרד הייטק", "דירה ישנה") if n in html}

    assert names("/projects") == {"וילה בקיסריה", "משרד הייטק"}
    assert names("/projects?status=on_hold") == {"משרד הייטק"}
    assert names("/projects?phase=procurement") == {"וילה בקיסריה"}
    assert names("/projects?type=office&type=villa") == {"וילה בקיסריה", "משרד הייטק"}
    assert names(f"/projects?client={client_id}") == {"וילה בקיסריה"}
    assert names(f"/projects?assignee={member_id}") == {"וילה בקיסריה"}
    assert names("/projects?priority=low") == {"משרד הייטק"}
    assert names("/projects?vip=1") == {"וילה בקיסריה"}
    assert names(f"/projects?label={label_id}") == {"משרד הייטק"}
    assert names("/projects?start_from=2026-05-01") == {"משרד הייטק"}
    assert names("/projects?start_to=2026-05-01") == {"וילה בקיסריה"}
    assert names("/projects?end_from=2026-11-01&end_to=2026-12-31") == {"וילה בקיסריה"}
    assert names("/projects?archived=1") == {"דירה ישנה"}
    assert names("/projects?q=רותם") == {"וילה בקיסריה"}  # the client's name
    assert names("/projects?q=קיסריה") == {"וילה בקיסריה"}  # the city
    assert names(f"/projects?q={villa_code.lower()}") == {"וילה בקיסריה"}
    assert names("/projects?start_from=not-a-date") == {"וילה בקיסריה", "משרד הייטק"}
    assert "לא נמצאו פרויקטים" in page_text(owner_client, "/projects?q=אין-כזה")


def test_custom_field_filter(owner_client, studio):
    from app.custom_fields import services as custom_services

    with tenant_scope(studio.id):
        actor = membership(studio)
        definition = custom_services.create_definition(
            actor,
            "project",
            {
                "name": "קומה",
                "field_type": "text",
                "is_active": True,
                "show_in_filter": True,
                "show_in_list": True,
            },
        )
        first = make_project(actor, name="ראשון")
        make_project(actor, name="שני")
        from app.custom_fields.component import validate_and_save

        validate_and_save(actor, "project", first.id, {f"cf-{definition.field_key}": "גג"})
        db.session.commit()
        key = definition.field_key
    html = page_text(owner_client, f"/projects?cf_{key}=גג")
    assert "ראשון" in html and "שני" not in html and "קומה" in html


def test_sort_and_pages(owner_client, studio):
    seed(studio, 30)
    with tenant_scope(studio.id):
        actor = membership(studio)
        make_project(actor, name="אאא ראשון", phase_key="handover", priority="high")
        db.session.commit()
    html = page_text(owner_client, "/projects?sort=name&dir=asc")
    assert html.index("אאא ראשון") < html.index("פרויקט 00")
    first = page_text(owner_client, "/projects?sort=name&dir=asc")
    second = page_text(owner_client, "/projects?sort=name&dir=asc&page=2")
    assert "עמוד 1 מתוך 2" in first and "עמוד 2 מתוך 2" in second
    assert "פרויקט 29" in second and "פרויקט 29" not in first
    assert "פרויקט 29" in page_text(owner_client, "/projects?sort=name&dir=asc&per_page=50")
    # Phases sort in the studio's working order (handover last), not alphabetically.
    by_phase = page_text(owner_client, "/projects?sort=phase&dir=desc&per_page=50")
    assert by_phase.index("אאא ראשון") < by_phase.index("פרויקט 00")
    by_priority = page_text(owner_client, "/projects?sort=priority&dir=desc&per_page=50")
    assert by_priority.index("אאא ראשון") < by_priority.index("פרויקט 00")
    for key in (
        "code",
        "client",
        "status",
        "start_date",
        "expected_end_date",
        "budget",
        "created_at",
    ):
        page_text(owner_client, f"/projects?sort={key}&dir=asc")


def test_budget_needs_can_view_financials(make_client, studio):
    add_member(studio, "all@a.test", "member", can_access_all_projects=True)
    seed(studio, 1, budget="90000")
    member = signed_in(make_client, "all@a.test")
    html = page_text(member, "/projects?sort=budget")
    assert "פרויקט 00" in html and "90,000 ₪" not in html and "תקציב" not in html
    owner = signed_in(make_client, "owner@a.test")
    assert "90,000 ₪" in page_text(owner, "/projects")


def test_query_count_does_not_grow_with_rows(owner_client, studio, count_queries):
    def add(count, start):
        with tenant_scope(studio.id):
            actor = membership(studio)
            label = labels.get_label(label_id)
            others = [str(membership(studio, r).user_id) for r in ("manager", "member")]
            for i in range(start, start + count):
                client = make_contact(actor, name=f"לקוח {i:02d}", email=f"c{i}@example.com")
                project = add_project(
                    actor, others, name=f"פרויקט {i:02d}", client_id=str(client.id)
                )
                labels.attach_label(actor, label, "project", project.id, project.name)
            db.session.commit()

    with tenant_scope(studio.id):
        label_id = labels.create_label(
            membership(studio), name="דחוף", color="#FF0000", entity_types=["project"]
        ).id
        db.session.commit()
    add(3, 0)
    page_text(owner_client, "/projects")
    with count_queries() as few:
        page_text(owner_client, "/projects")
    add(27, 3)
    with count_queries() as many:
        html = page_text(owner_client, "/projects")
    assert "דחוף" in html and "לקוח 29" in html
    assert many.count == few.count, (few.count, many.count)
    with count_queries() as cards:
        page_text(owner_client, "/projects?view=cards")
    assert cards.count == few.count


# ---- visibility, roles and tenants ----------------------------------------------------------


def test_members_see_only_their_projects_unless_allowed_all(make_client, studio):
    with tenant_scope(studio.id):
        actor = membership(studio)
        member_id = membership(studio, "member").user_id
        add_project(actor, [str(member_id)], name="שלי")
        hidden = make_project(actor, name="לא שלי")
        hidden_id = hidden.id
        db.session.commit()
    member = signed_in(make_client, EMAILS["member"])
    html = page_text(member, "/projects")
    assert "שלי" in html and "לא שלי" not in html
    assert "פרויקט חדש" not in html  # members without "all projects" do not create
    # Bulk actions on a project one does not see change nothing.
    bulk(member, {"ids": [str(hidden_id)], "action": "phase:concept"})
    assert values(studio, "phase_key")["לא שלי"] == "consultation"
    with tenant_scope(studio.id):
        membership(studio, "member").can_access_all_projects = True
        db.session.commit()
    assert "לא שלי" in page_text(member, "/projects")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_list(make_client, studio, role):
    seed(studio, 1, member_ids=[])
    client = signed_in(make_client, EMAILS[role])
    html = page_text(client, "/projects")
    assert ("פרויקט 00" in html) == (role != "member")


def test_signed_out_is_sent_to_login(client):
    for url in ("/projects", "/projects?view=cards"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_studio_sees_nothing_and_cannot_touch(make_client, other_studio, studio):
    ids = seed(studio, 2)
    stranger = signed_in(make_client, "owner@b.test")
    assert "פרויקט 00" not in page_text(stranger, "/projects")
    assert "פרויקט 00" not in page_text(stranger, "/projects?q=פרויקט&archived=1")
    response = bulk(stranger, {"ids": [str(i) for i in ids], "action": "archive"})
    assert toast(response)["level"] == "error"
    assert set(values(studio, "archived_at").values()) == {None}


# ---- bulk actions and undo --------------------------------------------------------------------


def test_bulk_status_reports_refusals_and_undo(owner_client, studio):
    ids = seed(studio, 3)
    with tenant_scope(studio.id):
        actor = membership(studio)
        closed = db.session.get(Project, ids[2])
        services.update_project(actor, closed, {"status_key": "closed"})
        db.session.commit()
    # closed → on_hold is not an allowed transition: that row stays, the others move.
    response = bulk(owner_client, {"ids": [str(i) for i in ids], "action": "status:on_hold"})
    message = toast(response)
    assert message["level"] == "warning" and "הסטטוס עודכן ב-2 פרויקטים" in message["message"]
    assert "פרויקט 02" in message["message"] and "אי אפשר לעבור" in message["message"]
    assert values(studio, "status_key") == {
        "פרויקט 00": "on_hold",
        "פרויקט 01": "on_hold",
        "פרויקט 02": "closed",
    }
    back = undo(owner_client, response)
    assert "הפעולה בוטלה (2 פרויקטים)" in toast(back)["message"]
    assert values(studio, "status_key")["פרויקט 00"] == "active"
    # Every row refused: an error, nothing saved.
    response = bulk(owner_client, {"ids": [str(ids[2])], "action": "status:on_hold"})
    assert toast(response)["level"] == "error" and "undo" not in toast(response)


def test_bulk_phase_undo_restores_even_from_a_final_phase(owner_client, studio):
    ids = seed(studio, 2)
    response = bulk(owner_client, {"ids": [str(i) for i in ids], "action": "phase:handover"})
    assert "השלב עודכן ב-2 פרויקטים" in toast(response)["message"]
    assert set(values(studio, "phase_key").values()) == {"handover"}
    undo(owner_client, response)
    assert set(values(studio, "phase_key").values()) == {"consultation"}
    response = bulk(owner_client, {"ids": [str(ids[0])], "action": "phase:no-such-phase"})
    assert toast(response)["level"] == "error"


def test_bulk_assign_and_undo_and_strangers_refused(owner_client, studio, other_studio):
    ids = seed(studio, 2)
    with tenant_scope(studio.id):
        member_id = membership(studio, "member").user_id
    response = bulk(owner_client, {"ids": [str(i) for i in ids], "action": f"assign:{member_id}"})
    assert "השיבוץ נוסף ל-2 פרויקטים" in toast(response)["message"]

    def assigned():
        with tenant_scope(studio.id):
            return db.session.scalars(
                select(ProjectMember.project_id).where(ProjectMember.user_id == member_id)
            ).all()

    assert len(assigned()) == 2
    undo(owner_client, response)
    assert assigned() == []
    stranger = membership(other_studio).user_id
    response = bulk(owner_client, {"ids": [str(ids[0])], "action": f"assign:{stranger}"})
    assert toast(response)["level"] == "error"
    assert "אנשי צוות פעילים" in toast(response)["message"]
    with tenant_scope(studio.id):
        assert (
            db.session.scalar(select(ProjectMember.id).where(ProjectMember.user_id == stranger))
            is None
        )


def test_bulk_labels_and_archive_with_undo(make_client, studio):
    ids = seed(studio, 3)
    with tenant_scope(studio.id):
        label_id = labels.create_label(
            membership(studio), name="VIP", color="#FF0000", entity_types=["project"]
        ).id
        db.session.commit()
    owner = signed_in(make_client, "owner@a.test")
    response = bulk(owner, {"ids": [str(i) for i in ids[:2]], "action": f"label_add:{label_id}"})
    assert "התגית נוספה ל-2 פרויקטים" in toast(response)["message"]
    undo(owner, response)
    with tenant_scope(studio.id):
        assert sum(len(v) for v in labels.labels_for("project", ids).values()) == 0
    response = bulk(owner, {"ids": [str(i) for i in ids], "action": "archive"})
    assert "3 פרויקטים הועברו לארכיון" in toast(response)["message"]
    assert "פרויקט 00" not in response.get_data(as_text=True)
    undo(owner, response)
    assert set(values(studio, "archived_at").values()) == {None}
    # Select every result of the filter, not just the page.
    response = post_form(
        owner,
        "/projects/bulk?q=פרויקט",
        {"select_all": "1", "action": "phase:concept"},
        page="/projects",
        headers=HX,
    )
    assert "השלב עודכן ב-3 פרויקטים" in toast(response)["message"]
    # A member with "all projects" but no delete permission cannot archive.
    add_member(studio, "all@a.test", "member", can_access_all_projects=True)
    member = signed_in(make_client, "all@a.test")
    response = bulk(member, {"ids": [str(ids[0])], "action": "archive"})
    assert toast(response)["level"] == "error"
    assert values(studio, "archived_at")["פרויקט 00"] is None


def test_undo_token_of_someone_else_is_refused(make_client, studio):
    ids = seed(studio, 1)
    owner = signed_in(make_client, "owner@a.test")
    response = bulk(owner, {"ids": [str(ids[0])], "action": "phase:concept"})
    manager = signed_in(make_client, EMAILS["manager"])
    late = undo(manager, response)
    assert toast(late)["level"] == "warning"
    assert values(studio, "phase_key")["פרויקט 00"] == "concept"


# ---- saved views ------------------------------------------------------------------------------


def test_saved_views_personal_and_shared(make_client, studio):
    seed(studio, 1)
    owner = signed_in(make_client, "owner@a.test")
    post_form(
        owner,
        "/projects/views",
        {"name": "שלי בלבד", "query": "phase=concept&page=3"},
        page="/projects",
    )
    response = post_form(
        owner,
        "/projects/views",
        {"name": "וילות", "query": "type=villa&view=cards", "shared": "1"},
        page="/projects",
    )
    assert response.status_code == 302 and "type=villa" in response.headers["Location"]
    with tenant_scope(studio.id):
        views = {v.name: v for v in db.session.scalars(select(SavedView))}
        assert views["שלי בלבד"].query == "phase=concept" and views["וילות"].page == "projects"
        private_id = views["שלי בלבד"].id
    html = page_text(owner, "/projects")
    assert "שלי בלבד" in html and "וילות" in html
    manager = signed_in(make_client, EMAILS["manager"])
    html = page_text(manager, "/projects")
    assert "וילות" in html and "שלי בלבד" not in html
    assert (
        post_form(manager, f"/projects/views/{private_id}/delete", page="/projects").status_code
        == 404
    )
    bad = post_form(
        owner, "/projects/views", {"name": "", "query": "x=1"}, page="/projects", headers=HX
    )
    assert toast(bad)["level"] == "error"
    post_form(owner, f"/projects/views/{private_id}/delete", page="/projects")
    assert "שלי בלבד" not in page_text(owner, "/projects")


def test_dates_in_filters_round_trip(owner_client, studio):
    seed(studio, 1, start_date=date(2026, 2, 2).isoformat())
    html = page_text(owner_client, "/projects?start_from=2026-02-01&start_to=2026-02-03")
    assert 'value="2026-02-01"' in html and "פרויקט 00" in html


def test_label_widget_works_on_projects_the_member_sees(make_client, studio):
    """The "project" label target: the labels widget attaches to visible projects only."""
    with tenant_scope(studio.id):
        actor = membership(studio)
        member_id = membership(studio, "member").user_id
        mine = add_project(actor, [str(member_id)], name="שלי")
        other = add_project(actor, name="לא שלי")
        label_id = labels.create_label(
            actor, name="חשוב", color="#00AA00", entity_types=["project"]
        ).id
        mine_id, other_id = mine.id, other.id
        db.session.commit()
    member = signed_in(make_client, EMAILS["member"])
    ok = post_form(
        member, f"/labels/project/{mine_id}/attach", {"label_id": str(label_id)}, page="/projects"
    )
    assert ok.status_code in (200, 302)
    hidden = post_form(
        member, f"/labels/project/{other_id}/attach", {"label_id": str(label_id)}, page="/projects"
    )
    assert hidden.status_code == 404
    with tenant_scope(studio.id):
        attached = labels.labels_for("project", [mine_id, other_id])
        assert [x.name for x in attached[mine_id]] == ["חשוב"] and attached[other_id] == []
