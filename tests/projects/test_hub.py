"""The project hub: quick info bar with inline edits and the phase stepper, summary cards and
their panels (?open=), team and activity panels, archive and delete; roles, two studios, and
a query count that does not grow with the project."""

import json
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activity.services import record_activity
from app.contacts import services as contacts
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import hub as registry
from app.projects import services
from app.projects.models import Project, Room
from app.tasks.models import Task
from app.tenants.models import Membership
from tests.conftest import login, post_form
from tests.projects.conftest import EMAILS, HX, ROLES, membership


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, "owner@a.test")


def new_project(studio, team=(), **data):
    """A project made by the owner; `team` are roles whose people are assigned to it."""
    with tenant_scope(studio.id):
        owner = membership(studio)
        ids = [membership(studio, role).user_id for role in team]
        project = services.create_project(
            owner, {"name": "דירת גן ברמת השרון"} | data, member_ids=ids
        )
        project_id = project.id
        db.session.commit()
    return project_id


def stored(studio, project_id) -> Project:
    with tenant_scope(studio.id):
        db.session.expire_all()
        return db.session.get(Project, project_id)


def page(client, url, status=200, **kw):
    response = client.get(url, **kw)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def hx_post(client, url, data, page_url, status=200):
    response = post_form(client, url, data, page=page_url, headers=HX)
    assert response.status_code == status, (
        url,
        response.status_code,
        response.get_data(True)[:300],
    )
    return response


def toast(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger") or "{}").get("toast") or {}


# ---- the page: info bar, cards, open panels ---------------------------------------------------


def test_hub_shows_info_bar_cards_and_the_panels_named_in_the_url(owner_client, studio):
    project_id = new_project(
        studio, address="רחוב הרצל 5", city="רמת השרון", area="120", budget="250000"
    )
    html = page(owner_client, f"/projects/{project_id}?open=rooms,activity,planets")
    assert 'id="hub-info"' in html and "רחוב הרצל 5" in html and "250,000" in html
    assert 'aria-current="step"' in html and "ייעוץ ראשוני" in html
    for key in ("rooms", "team", "activity"):
        assert f'id="hub-card-{key}"' in html and f'aria-controls="hub-panel-{key}"' in html
    assert re.search(r'id="hub-card-rooms"[^>]*aria-expanded="true"', html)
    assert re.search(r'id="hub-card-team"[^>]*aria-expanded="false"', html)
    # Open panels are rendered on the server (no second round trip); closed slots are empty.
    assert 'id="rooms-panel"' in html and 'id="activity-panel"' in html
    assert 'id="team-panel"' not in html
    assert re.search(r'id="hub-panel-team"[^>]*\n?[^>]*hidden', html)
    assert 'data-realtime-topics="project:' in html


def test_a_panel_registered_later_appears_without_touching_the_template(owner_client, studio):
    project_id = new_project(studio)
    registry.register_panel(
        registry.Panel(
            key="payments",
            title="תשלומים",
            icon="wallet",
            order=30,
            summary=lambda project, membership: {"value": "₪12,000", "hint": "2 פתוחים"},
            endpoint="projects.activity_panel",  # any fragment endpoint taking project_id
        )
    )
    try:
        html = page(owner_client, f"/projects/{project_id}?open=payments")
        assert 'id="hub-card-payments"' in html and "₪12,000" in html and "2 פתוחים" in html
        slot = html[html.index('id="hub-panel-payments"') :]
        assert 'id="activity-panel"' in slot[: slot.index("</section>")]
        # Card order follows the registered order: rooms (20) < payments (30) < team (90).
        assert (
            html.index("hub-card-rooms")
            < html.index("hub-card-payments")
            < html.index("hub-card-team")
        )
    finally:
        registry._panels.pop("payments", None)


def test_panel_fragments_and_live_parts_answer_alone(owner_client, studio):
    project_id = new_project(studio)
    base = f"/projects/{project_id}"
    for url, root in (
        (f"{base}/rooms/panel", 'id="rooms-panel"'),
        (f"{base}/team/panel", 'id="team-panel"'),
        (f"{base}/activity/panel", 'id="activity-panel"'),
        (f"{base}/info", 'id="hub-info"'),
        (f"{base}/cards?open=rooms", 'id="hub-cards"'),
    ):
        html = page(owner_client, url, headers=HX)
        assert root in html and "<html" not in html, url
        assert 'hx-trigger="realtime' in html, url
    cards = page(owner_client, f"{base}/cards?open=rooms", headers=HX)
    assert re.search(r'id="hub-card-rooms"[^>]*aria-expanded="true"', cards)


# ---- inline edit of the info bar ----------------------------------------------------------------


def test_inline_edit_saves_one_field_and_refuses_bad_input(owner_client, studio):
    project_id = new_project(studio, start_date="2026-03-01", budget="1000")
    url = f"/projects/{project_id}/field"
    hub = f"/projects/{project_id}"
    editor = page(owner_client, f"{url}/budget?edit=1", headers=HX)
    assert "data-inline-editor" in editor and 'name="value"' in editor
    response = hx_post(owner_client, f"{url}/budget", {"value": "185,000"}, hub)
    assert "185,000" in response.get_data(as_text=True) and "נשמר" in response.get_data(True)
    assert stored(studio, project_id).budget == Decimal("185000")

    refused = hx_post(owner_client, f"{url}/budget", {"value": "-5"}, hub, status=422)
    html = refused.get_data(as_text=True)
    assert "הערך המינימלי" in html and "הערך הקודם הוחזר" in html and 'value="185000.00"' in html
    assert stored(studio, project_id).budget == Decimal("185000")

    refused = hx_post(owner_client, f"{url}/expected_end_date", {"value": "2026-02-01"}, hub, 422)
    assert "תאריך סיום חייב להיות אחרי תאריך התחלה" in refused.get_data(as_text=True)
    assert stored(studio, project_id).expected_end_date is None

    hx_post(owner_client, f"{url}/expected_end_date", {"value": "2026-09-30"}, hub)
    refused = hx_post(owner_client, f"{url}/start_date", {"value": "2026-12-01"}, hub, 422)
    assert "תאריך סיום" in refused.get_data(as_text=True)
    assert str(stored(studio, project_id).start_date) == "2026-03-01"

    hx_post(owner_client, f"{url}/name", {"value": "דירת גג בתל אביב"}, hub)
    assert stored(studio, project_id).name == "דירת גג בתל אביב"
    refused = hx_post(owner_client, f"{url}/name", {"value": ""}, hub, 422)
    assert "שדה חובה" in refused.get_data(as_text=True)
    # Esc: the value again; unknown fields are not editable here.
    assert "cell__view" in page(owner_client, f"{url}/name", headers=HX)
    assert owner_client.get(f"{url}/scope?edit=1", headers=HX).status_code == 404
    assert owner_client.get(f"{url}/planets", headers=HX).status_code == 404


def test_client_status_priority_and_vip_are_edited_in_place(owner_client, studio):
    with tenant_scope(studio.id):
        client = contacts.create_contact(
            membership(studio),
            "client",
            {
                "name": "דנה כהן",
                "type": "individual",
                "status": "active",
                "email": "dana@example.com",
                "preferred_communication": "phone",
            },
        )
        client_id = client.id
        db.session.commit()
    project_id = new_project(studio)
    url, hub = f"/projects/{project_id}/field", f"/projects/{project_id}"
    editor = page(owner_client, f"{url}/client_id?edit=1", headers=HX)
    assert "דנה כהן" in editor and f'value="{client_id}"' in editor
    html = hx_post(owner_client, f"{url}/client_id", {"value": str(client_id)}, hub).get_data(True)
    assert f"/contacts/{client_id}" in html
    assert stored(studio, project_id).client_id == client_id
    refused = hx_post(owner_client, f"{url}/client_id", {"value": str(project_id)}, hub, 422)
    assert "הלקוח לא נמצא" in refused.get_data(as_text=True)

    hx_post(owner_client, f"{url}/priority", {"value": "high"}, hub)
    hx_post(owner_client, f"{url}/is_vip", {"value": "true"}, hub)
    hx_post(owner_client, f"{url}/status_key", {"value": "on_hold"}, hub)
    project = stored(studio, project_id)
    assert (project.priority, project.is_vip, project.status_key) == ("high", True, "on_hold")
    html = page(owner_client, hub)
    assert 'aria-pressed="true"' in html and "מושהה" in html and "גבוהה" in html
    # A status the configuration does not allow from here: refused, nothing saved.
    hx_post(owner_client, f"{url}/status_key", {"value": "closed"}, hub)
    refused = hx_post(owner_client, f"{url}/status_key", {"value": "on_hold"}, hub, status=422)
    assert "סופי" in refused.get_data(as_text=True) or "אי אפשר לעבור" in refused.get_data(True)
    assert stored(studio, project_id).status_key == "closed"
    # A form post without JavaScript comes back to the hub.
    response = post_form(owner_client, f"{url}/city", {"value": "חיפה"}, page=hub)
    assert response.status_code == 302 and response.headers["Location"].endswith(hub)


def test_phase_stepper_moves_and_refuses_a_forbidden_transition(owner_client, studio):
    project_id = new_project(studio)
    hub, url = f"/projects/{project_id}", f"/projects/{project_id}/phase"
    response = hx_post(owner_client, url, {"phase_key": "concept"}, hub)
    html = response.get_data(as_text=True)
    assert re.search(r'value="concept"[^>]*aria-current="step"', html)
    assert "קונספט" in toast(response)["message"]
    assert stored(studio, project_id).phase_key == "concept"

    hx_post(owner_client, url, {"phase_key": "handover"}, hub)  # the final phase
    refused = hx_post(owner_client, url, {"phase_key": "concept"}, hub, status=422)
    assert toast(refused)["level"] == "error" and "סופי" in toast(refused)["message"]
    assert re.search(r'value="handover"[^>]*aria-current="step"', refused.get_data(as_text=True))
    assert stored(studio, project_id).phase_key == "handover"
    # The same rule through the inline field, and for a phase that does not exist.
    hx_post(owner_client, url, {"phase_key": "mars"}, hub, status=422)
    assert stored(studio, project_id).phase_key == "handover"


def test_financial_fields_follow_the_flags(make_client, studio):
    project_id = new_project(studio, team=("member",), budget="90000")
    url = f"/projects/{project_id}/field/budget"
    member = signed_in(make_client, EMAILS["member"])
    html = page(member, f"/projects/{project_id}")
    assert "90,000" not in html and "hub-field-budget" not in html
    assert member.get(url, headers=HX).status_code == 404
    manager = signed_in(make_client, EMAILS["manager"])  # sees, may not edit
    assert "90,000" in page(manager, f"/projects/{project_id}")
    assert manager.get(f"{url}?edit=1", headers=HX).status_code == 403
    response = post_form(manager, url, {"value": "1"}, page=f"/projects/{project_id}", headers=HX)
    assert response.status_code == 403
    assert stored(studio, project_id).budget == Decimal("90000")


# ---- team and activity panels -------------------------------------------------------------------


def test_team_panel_adds_and_removes_people(make_client, owner_client, studio, other_studio):
    project_id = new_project(studio)
    base = f"/projects/{project_id}"
    member = signed_in(make_client, EMAILS["member"])
    assert member.get(base).status_code == 404  # not assigned yet
    with tenant_scope(studio.id):
        member_user = membership(studio, "member").user_id
    html = page(owner_client, f"{base}/team/panel", headers=HX)
    assert "מי רואה את הפרויקט" in html and "הוספה לצוות" in html
    response = hx_post(
        owner_client, f"{base}/team", {"action": "add", "user_id": member_user}, base
    )
    assert "נוסף" in toast(response)["message"] and "member@a.test" in response.get_data(True)
    assert member.get(base).status_code == 200
    # A member sees the team but cannot change it.
    assert "הוספה לצוות" not in page(member, f"{base}/team/panel", headers=HX)
    denied = post_form(
        member, f"{base}/team", {"action": "remove", "user_id": member_user}, page=base
    )
    assert denied.status_code == 403
    # Someone from another studio cannot be assigned.
    with tenant_scope(other_studio.id):
        stranger = membership(other_studio).user_id
    hx_post(owner_client, f"{base}/team", {"action": "add", "user_id": stranger}, base, 422)
    hx_post(owner_client, f"{base}/team", {"action": "remove", "user_id": member_user}, base)
    assert member.get(base).status_code == 404


def test_activity_panel_pages_and_hides_financial_changes(make_client, studio):
    project_id = new_project(studio, team=("member",))
    with tenant_scope(studio.id):
        owner = membership(studio)
        project = db.session.get(Project, project_id)
        services.update_project(owner, project, {"budget": "73519"})
        services.update_project(owner, project, {"city": "חיפה"})
        for i in range(25):
            record_activity(
                owner,
                "updated",
                project,
                changes={"floors": {"old": i, "new": i + 1}},
                project_id=project_id,
            )
        db.session.commit()
    owner_client = signed_in(make_client, EMAILS["owner"])
    base = f"/projects/{project_id}/activity/panel"
    first = page(owner_client, base, headers=HX)
    assert first.count('class="activity__item"') == 20 and "הצגת עוד" in first
    more = page(owner_client, f"{base}?offset=20", headers=HX)
    assert 'id="activity-panel"' not in more and more.count('class="activity__item"') == 8
    assert "הצגת עוד" not in more and "73519" in more
    member = signed_in(make_client, EMAILS["member"])
    hidden = page(member, f"{base}?offset=20", headers=HX)
    assert "73519" not in hidden and "חיפה" in hidden


# ---- archive and delete -----------------------------------------------------------------------


def test_actions_menu_offers_what_each_role_may_do(make_client, owner_client, studio):
    project_id = new_project(studio, team=("member",))
    hub = f"/projects/{project_id}"
    html = page(owner_client, hub)
    for action in ("save-as-template", "/archive", "/delete"):
        assert f"{hub}{'/' if action[0] != '/' else ''}{action}" in html, action
    manager_html = page(signed_in(make_client, EMAILS["manager"]), hub)
    assert f"{hub}/archive" in manager_html and f"{hub}/delete" not in manager_html
    assert "hub-actions-menu" not in page(signed_in(make_client, EMAILS["member"]), hub)


def test_archive_and_restore(make_client, owner_client, studio):
    project_id = new_project(studio, team=("member",))
    hub = f"/projects/{project_id}"
    member = signed_in(make_client, EMAILS["member"])
    assert "hub-actions-menu" not in page(member, hub)
    assert post_form(member, f"{hub}/archive", {"archived": "1"}, page=hub).status_code == 403
    manager = signed_in(make_client, EMAILS["manager"])
    response = post_form(manager, f"{hub}/archive", {"archived": "1"}, page=hub)
    assert response.status_code == 302 and stored(studio, project_id).is_archived
    html = page(manager, hub)
    assert "הפרויקט נמצא בארכיון" in html and "שחזור מהארכיון" in html
    assert "מחיקה לצמיתות" not in html  # owner only
    post_form(manager, f"{hub}/archive", {"archived": "0"}, page=hub)
    assert not stored(studio, project_id).is_archived


def test_delete_needs_the_owner_and_the_word(make_client, owner_client, studio):
    project_id = new_project(studio)
    with tenant_scope(studio.id):
        db.session.add(Room(project_id=project_id, name="סלון", order=1))
        db.session.commit()
    hub = f"/projects/{project_id}"
    manager = signed_in(make_client, EMAILS["manager"])
    denied = post_form(manager, f"{hub}/delete", {"confirm_text": "מחק"}, page=hub)
    assert denied.status_code == 403 and stored(studio, project_id) is not None
    html = page(owner_client, hub)
    assert 'data-confirm-type="מחק"' in html and "מחיקה לצמיתות" in html
    response = post_form(owner_client, f"{hub}/delete", {"confirm_text": "מחוק"}, page=hub)
    assert response.status_code == 302 and response.headers["Location"].endswith(hub)
    assert stored(studio, project_id) is not None
    response = post_form(owner_client, f"{hub}/delete", {"confirm_text": "מחק"}, page=hub)
    assert response.status_code == 302 and response.headers["Location"].endswith("/projects")
    assert stored(studio, project_id) is None
    with tenant_scope(studio.id):
        assert db.session.scalar(select(Room).where(Room.project_id == project_id)) is None
    assert owner_client.get(hub).status_code == 404


# ---- roles, assignment, two studios -------------------------------------------------------------


def hub_routes(project_id, room_id):
    base = f"/projects/{project_id}"
    room = f"{base}/rooms/{room_id}"
    gets = [
        base,
        f"{base}?open=rooms,team,activity",
        f"{base}/info",
        f"{base}/cards",
        f"{base}/field/city",
        f"{base}/field/city?edit=1",
        f"{base}/team/panel",
        f"{base}/activity/panel",
        f"{base}/rooms/panel",
        f"{room}/field/name?edit=1",
    ]
    posts = [
        (f"{base}/field/city", {"value": "חיפה"}),
        (f"{base}/phase", {"phase_key": "concept"}),
        (f"{base}/rooms", {"name": "מטבח"}),
        (f"{room}/field/name", {"value": "סלון גדול"}),
        (f"{base}/rooms/order", {"order": [str(room_id)]}),
        (f"{room}/move", {"direction": "down"}),
        (f"{base}/rooms/undo", {"token": "x"}),
    ]
    return gets, posts


def project_with_room(studio, team=()):
    project_id = new_project(studio, team=team)
    with tenant_scope(studio.id):
        room = Room(project_id=project_id, name="סלון", order=1)
        db.session.add(room)
        db.session.commit()
        return project_id, room.id


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(make_client, studio, role):
    """Everyone who sees the project works in it; owners and managers see every project,
    members only the ones they are assigned to."""
    assigned = project_with_room(studio, team=("member",))
    unassigned = project_with_room(studio)
    client = signed_in(make_client, EMAILS[role])
    hub_page = f"/projects/{assigned[0]}"
    for project_id, room_id in (assigned, unassigned):
        visible = role != "member" or (project_id, room_id) == assigned
        gets, posts = hub_routes(project_id, room_id)
        for url in gets:
            status = client.get(url, headers=HX).status_code
            assert status == (200 if visible else 404), (role, url, status)
        for url, data in posts:
            status = post_form(client, url, data, page=hub_page, headers=HX).status_code
            assert status == (200 if visible else 404), (role, url, status)
        team = post_form(client, f"/projects/{project_id}/team", {"action": "add"}, page=hub_page)
        archive = post_form(client, f"/projects/{project_id}/archive", {}, page=hub_page)
        delete = post_form(client, f"/projects/{project_id}/delete", {}, page=hub_page)
        if not visible:
            assert {team.status_code, archive.status_code, delete.status_code} == {404}
            continue
        assert team.status_code == (403 if role == "member" else 302), (role, "team")
        assert archive.status_code == (403 if role == "member" else 302), (role, "archive")
        assert delete.status_code == (302 if role == "owner" else 403), (role, "delete")


def test_a_member_with_all_projects_sees_every_hub(make_client, studio):
    project_id = new_project(studio)
    with tenant_scope(studio.id):
        db.session.scalar(
            select(Membership).where(Membership.role == "member")
        ).can_access_all_projects = True
        db.session.commit()
    client = signed_in(make_client, EMAILS["member"])
    assert client.get(f"/projects/{project_id}").status_code == 200


def test_another_studio_sees_nothing(make_client, other_studio, studio):
    project_id, room_id = project_with_room(studio)
    stranger = signed_in(make_client, "owner@b.test")
    gets, posts = hub_routes(project_id, room_id)
    for url in gets:
        assert stranger.get(url, headers=HX).status_code == 404, url
    for url, data in posts + [(f"/projects/{project_id}/delete", {"confirm_text": "מחק"})]:
        assert post_form(stranger, url, data, page="/contacts").status_code == 404, url
    assert stored(studio, project_id).name == "דירת גן ברמת השרון"
    with tenant_scope(studio.id):
        assert db.session.get(Room, room_id).name == "סלון"


# ---- cost ----------------------------------------------------------------------------------


def grow(studio, project_id, tasks: int, rooms: int):
    """Tasks and rooms straight into the tables (fast), some tasks linked to rooms."""
    with tenant_scope(studio.id):
        existing = db.session.scalar(select(Room.id).where(Room.project_id == project_id))
        made = [
            Room(project_id=project_id, name=f"חדר {i}", order=i, area=Decimal(10))
            for i in range(rooms)
        ]
        db.session.add_all(made)
        db.session.flush()
        room_ids = [r.id for r in made] or [existing]
        db.session.add_all(
            Task(
                project_id=project_id,
                title=f"משימה {i}",
                status_key="todo",
                is_done=i % 3 == 0,
                linked_entity_type="room" if i % 2 else None,
                linked_entity_id=room_ids[i % len(room_ids)] if i % 2 else None,
                order=i,
            )
            for i in range(tasks)
        )
        db.session.commit()


def test_hub_query_count_does_not_grow_with_the_project(owner_client, studio, count_queries):
    project_id = new_project(studio, team=("manager", "member"))
    grow(studio, project_id, tasks=5, rooms=2)
    with tenant_scope(studio.id):
        everything = ",".join(p.key for p in registry.panels_for(membership(studio)))
    url = f"/projects/{project_id}?open={everything}"
    page(owner_client, url)
    with count_queries() as small:
        page(owner_client, url)
    grow(studio, project_id, tasks=495, rooms=38)
    with count_queries() as large:
        html = page(owner_client, url)
    assert html.count("data-reorder-item") >= 40
    assert large.count == small.count, (small.count, large.count)
