"""The hub's rooms panel: add, inline edit, reorder (drag order and up/down), delete one or
many with undo, per-room task counts, a room deleted meanwhile, financial fields, isolation."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import services
from app.projects.models import Room
from app.tasks.models import Task
from tests.conftest import login, post_form
from tests.projects.conftest import EMAILS, HX, membership


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, EMAILS["owner"])


def new_project(studio, team=(), rooms=()):
    """A project with rooms [(name, extra fields)], straight into the table."""
    with tenant_scope(studio.id):
        owner = membership(studio)
        ids = [membership(studio, role).user_id for role in team]
        project = services.create_project(owner, {"name": "דירה בחיפה"}, member_ids=ids)
        for order, (name, extra) in enumerate(rooms, start=1):
            db.session.add(Room(project_id=project.id, name=name, order=order, **extra))
        db.session.commit()
        return project.id


def rooms(studio, project_id) -> list[Room]:
    """The stored rooms, detached: their values stay readable outside the tenant scope."""
    with tenant_scope(studio.id):
        db.session.expire_all()
        found = list(
            db.session.scalars(
                select(Room).where(Room.project_id == project_id).order_by(Room.order)
            )
        )
        for room in found:
            db.session.expunge(room)
        return found


def names(studio, project_id) -> list[str]:
    return [r.name for r in rooms(studio, project_id)]


def hx_post(client, url, data, project_id, status=200):
    response = post_form(client, url, data, page=f"/projects/{project_id}", headers=HX)
    assert response.status_code == status, (
        url,
        response.status_code,
        response.get_data(True)[:300],
    )
    return response


def trigger(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger") or "{}")


def test_empty_state_then_add_a_room(owner_client, studio):
    project_id = new_project(studio)
    base = f"/projects/{project_id}/rooms"
    html = owner_client.get(f"{base}/panel", headers=HX).get_data(as_text=True)
    assert "עוד אין חדרים בפרויקט" in html and 'name="name"' in html
    response = hx_post(
        owner_client,
        base,
        {"name": "סלון", "type_key": "living_room", "area": "32.5", "budget": "40,000"},
        project_id,
    )
    html = response.get_data(as_text=True)
    assert "סלון" in html and "data-reorder-item" in html and "autofocus" in html
    assert "נוסף" in trigger(response)["toast"]["message"]
    (room,) = rooms(studio, project_id)
    assert (room.type_key, room.area, room.budget) == (
        "living_room",
        Decimal("32.50"),
        Decimal("40000"),
    )
    assert room.design_status == "not_started"


def test_bad_input_adds_nothing_and_says_why(owner_client, studio):
    project_id = new_project(studio)
    base = f"/projects/{project_id}/rooms"
    response = hx_post(owner_client, base, {"name": "", "area": "-3"}, project_id, status=422)
    html = response.get_data(as_text=True)
    assert "שדה חובה" in html and "הערך המינימלי" in html and 'aria-invalid="true"' in html
    assert 'value="-3"' in html  # what was typed stays in the form
    hx_post(owner_client, base, {"name": "מטבח", "budget": "-1"}, project_id, status=422)
    hx_post(owner_client, base, {"name": "מטבח", "type_key": "spaceship"}, project_id, status=422)
    assert rooms(studio, project_id) == []
    # Without JavaScript: back to the hub with the panel open.
    response = post_form(owner_client, base, {"name": "מטבח"}, page=f"/projects/{project_id}")
    assert response.status_code == 302 and "open=rooms" in response.headers["Location"]
    assert names(studio, project_id) == ["מטבח"]


def test_inline_edit_of_each_field(owner_client, studio):
    project_id = new_project(studio, rooms=[("סלון", {})])
    (room,) = rooms(studio, project_id)
    base = f"/projects/{project_id}/rooms/{room.id}/field"
    for key, value, expected in (
        ("name", "סלון ופינת אוכל", "סלון ופינת אוכל"),
        ("type_key", "kitchen", "kitchen"),
        ("area", "41", Decimal("41")),
        ("budget", "55000", Decimal("55000")),
        ("design_status", "approved", "approved"),
        ("notes", "פרקט אלון, תאורה שקועה", "פרקט אלון, תאורה שקועה"),
    ):
        editor = owner_client.get(f"{base}/{key}?edit=1", headers=HX).get_data(as_text=True)
        assert "data-inline-editor" in editor, key
        response = hx_post(owner_client, f"{base}/{key}", {"value": value}, project_id)
        assert "נשמר" in response.get_data(as_text=True), key
        assert getattr(rooms(studio, project_id)[0], key) == expected, key
    refused = hx_post(owner_client, f"{base}/budget", {"value": "-10"}, project_id, status=422)
    html = refused.get_data(as_text=True)
    assert "הערך המינימלי" in html and 'value="55000.00"' in html
    hx_post(owner_client, f"{base}/name", {"value": "x"}, project_id, status=422)
    assert rooms(studio, project_id)[0].name == "סלון ופינת אוכל"
    assert owner_client.get(f"{base}/order?edit=1", headers=HX).status_code == 404
    assert "cell__view" in owner_client.get(f"{base}/name", headers=HX).get_data(as_text=True)


def test_budget_needs_the_financial_flags(make_client, studio):
    project_id = new_project(studio, team=("member",), rooms=[("סלון", {"budget": Decimal(98765)})])
    (room,) = rooms(studio, project_id)
    member = signed_in(make_client, EMAILS["member"])
    html = member.get(f"/projects/{project_id}/rooms/panel", headers=HX).get_data(as_text=True)
    assert "98,765" not in html and 'name="budget"' not in html
    base = f"/projects/{project_id}/rooms/{room.id}/field/budget"
    assert member.get(f"{base}?edit=1", headers=HX).status_code == 404
    manager = signed_in(make_client, EMAILS["manager"])  # sees budgets, may not edit them
    assert "98,765" in manager.get(f"/projects/{project_id}/rooms/panel", headers=HX).get_data(True)
    assert manager.get(f"{base}?edit=1", headers=HX).status_code == 403
    assert (
        post_form(manager, base, {"value": "1"}, page=f"/projects/{project_id}").status_code == 403
    )
    assert rooms(studio, project_id)[0].budget == Decimal(98765)


def test_reorder_by_drag_and_by_buttons(owner_client, studio):
    project_id = new_project(studio, rooms=[("סלון", {}), ("מטבח", {}), ("מרפסת", {})])
    living, kitchen, balcony = (str(r.id) for r in rooms(studio, project_id))
    base = f"/projects/{project_id}/rooms"
    html = hx_post(owner_client, f"{base}/order", {"order": [balcony, living, kitchen]}, project_id)
    text = html.get_data(as_text=True)
    assert text.index('strong">מרפסת<') < text.index('strong">סלון<')
    assert names(studio, project_id) == ["מרפסת", "סלון", "מטבח"]
    hx_post(owner_client, f"{base}/{kitchen}/move", {"direction": "up"}, project_id)
    assert names(studio, project_id) == ["מרפסת", "מטבח", "סלון"]
    hx_post(
        owner_client, f"{base}/{balcony}/move", {"direction": "up"}, project_id
    )  # already first
    hx_post(owner_client, f"{base}/{balcony}/move", {"direction": "down"}, project_id)
    assert names(studio, project_id) == ["מטבח", "מרפסת", "סלון"]
    # Ids that are not this project's rooms are ignored.
    hx_post(owner_client, f"{base}/order", {"order": ["nonsense", living]}, project_id)
    assert set(names(studio, project_id)) == {"מטבח", "מרפסת", "סלון"}


def test_delete_many_and_undo(make_client, owner_client, studio):
    project_id = new_project(
        studio,
        rooms=[
            ("סלון", {"budget": Decimal(1500), "area": Decimal("30.5"), "type_key": "living_room"}),
            ("מטבח", {"notes": "אי במרכז"}),
            ("מרפסת", {}),
        ],
    )
    living, kitchen, balcony = rooms(studio, project_id)
    with tenant_scope(studio.id):
        db.session.add(
            Task(
                project_id=project_id,
                title="מדידות",
                status_key="todo",
                linked_entity_type="room",
                linked_entity_id=living.id,
            )
        )
        db.session.commit()
    base = f"/projects/{project_id}/rooms"
    response = hx_post(
        owner_client, f"{base}/delete", {"ids": [str(living.id), str(kitchen.id)]}, project_id
    )
    events = trigger(response)
    assert "2 חדרים נמחקו" in events["toast"]["message"]
    assert "rooms-changed" not in events  # the answer is the panel itself
    undo = events["toast"]["undo"]
    assert undo["url"] == f"{base}/undo"
    assert names(studio, project_id) == ["מרפסת"]
    # The browser's undo token carries no budget (financial); the log keeps it.
    assert "1500" not in undo["token"]
    # Someone else cannot use the token.
    manager = signed_in(make_client, EMAILS["manager"])
    refused = hx_post(manager, undo["url"], {"token": undo["token"]}, project_id)
    assert "מאוחר מדי" in trigger(refused)["toast"]["message"]
    assert names(studio, project_id) == ["מרפסת"]

    restored = hx_post(owner_client, undo["url"], {"token": undo["token"]}, project_id)
    assert "2 חדרים שוחזרו" in trigger(restored)["toast"]["message"]
    assert "rooms-changed" in trigger(restored)  # the panel fetches itself again
    back = {r.name: r for r in rooms(studio, project_id)}
    assert set(back) == {"סלון", "מטבח", "מרפסת"}
    assert back["סלון"].id == living.id and back["סלון"].budget == Decimal(1500)
    assert back["סלון"].area == Decimal("30.5") and back["סלון"].type_key == "living_room"
    assert back["מטבח"].notes == "אי במרכז"
    # Undoing twice does nothing more.
    again = hx_post(owner_client, undo["url"], {"token": undo["token"]}, project_id)
    assert "כבר שוחזרו" in trigger(again)["toast"]["message"]
    assert len(rooms(studio, project_id)) == 3
    # The task linked to the room finds it again.
    html = owner_client.get(f"{base}/panel", headers=HX).get_data(as_text=True)
    assert "פתוחה אחת" in html
    with tenant_scope(studio.id):
        logged = db.session.scalars(
            select(ActivityLog.action).where(ActivityLog.entity_id == str(living.id))
        ).all()
    assert "deleted" in logged and logged.count("created") == 1


def test_delete_one_without_javascript(owner_client, studio):
    project_id = new_project(studio, rooms=[("סלון", {})])
    (room,) = rooms(studio, project_id)
    response = post_form(
        owner_client,
        f"/projects/{project_id}/rooms/delete",
        {"ids": str(room.id)},
        page=f"/projects/{project_id}",
    )
    assert response.status_code == 302 and rooms(studio, project_id) == []
    nothing = hx_post(owner_client, f"/projects/{project_id}/rooms/delete", {}, project_id)
    assert "לא נבחרו" in trigger(nothing)["toast"]["message"]


def test_task_counts_per_room(owner_client, studio):
    project_id = new_project(studio, rooms=[("סלון", {}), ("מטבח", {})])
    living, kitchen = rooms(studio, project_id)
    with tenant_scope(studio.id):
        for title, done in (("צבע", False), ("תאורה", False), ("מדידות", True)):
            db.session.add(
                Task(
                    project_id=project_id,
                    title=title,
                    status_key="todo",
                    is_done=done,
                    linked_entity_type="room",
                    linked_entity_id=living.id,
                )
            )
        db.session.add(Task(project_id=project_id, title="כללי", status_key="todo"))
        db.session.commit()
    html = owner_client.get(f"/projects/{project_id}/rooms/panel", headers=HX).get_data(True)
    row = html[html.index(f'id="room-row-{living.id}"') : html.index(f'id="room-row-{kitchen.id}"')]
    assert "2 פתוחות" in row and "הושלמה אחת" in row
    card = owner_client.get(f"/projects/{project_id}/cards", headers=HX).get_data(True)
    assert "עוד אין חדרים" not in card


def test_a_room_deleted_meanwhile_is_reported(owner_client, studio):
    project_id = new_project(studio, rooms=[("סלון", {})])
    (room,) = rooms(studio, project_id)
    url = f"/projects/{project_id}/rooms/{room.id}/field/name"
    owner_client.get(f"{url}?edit=1", headers=HX)
    with tenant_scope(studio.id):
        db.session.delete(db.session.get(Room, room.id))
        db.session.commit()
    response = hx_post(owner_client, url, {"value": "סלון גדול"}, project_id)
    events = trigger(response)
    assert "נמחק בינתיים" in events["toast"]["message"] and "rooms-changed" in events
    assert rooms(studio, project_id) == []


def test_rooms_of_another_project_or_studio_are_not_found(
    make_client, owner_client, other_studio, studio
):
    first = new_project(studio, rooms=[("סלון", {})])
    second = new_project(studio, rooms=[("מטבח", {})])
    (kitchen,) = rooms(studio, second)
    # The kitchen through the first project's URL: not there.
    response = hx_post(
        owner_client, f"/projects/{first}/rooms/{kitchen.id}/field/name", {"value": "x"}, first
    )
    assert "נמחק בינתיים" in trigger(response)["toast"]["message"]
    hx_post(owner_client, f"/projects/{first}/rooms/delete", {"ids": str(kitchen.id)}, first)
    moved = post_form(
        owner_client,
        f"/projects/{first}/rooms/{kitchen.id}/move",
        {"direction": "up"},
        page=f"/projects/{first}",
    )
    assert moved.status_code == 404
    assert names(studio, second) == ["מטבח"]
    stranger = signed_in(make_client, "owner@b.test")
    assert stranger.get(f"/projects/{second}/rooms/panel", headers=HX).status_code == 404
    denied = post_form(
        stranger, f"/projects/{second}/rooms/delete", {"ids": str(kitchen.id)}, page="/contacts"
    )
    assert denied.status_code == 404 and names(studio, second) == ["מטבח"]
