"""The /settings/config pages: rendering, actions (form and HTMX), permissions, tenants, queries."""

import json

import pytest
from sqlalchemy import select

from app.configuration import services as config
from app.configuration.models import ENTITY_TYPES, ConfigurableEntity
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership
from tests.conftest import csrf_from, login, post_form
from tests.factories import add_member, make_studio

HX = {"HX-Request": "true"}


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    return tenant


def entry(tenant, kind, key) -> ConfigurableEntity:
    with tenant_scope(tenant.id):
        return config.get_by_key(kind, key)


def hx_post(client, url, data=None, page="/settings/config/trade"):
    token = csrf_from(client, page)
    return client.post(url, data=data or {}, headers={**HX, "X-CSRFToken": token})


def toast(response) -> dict:
    return json.loads(response.headers["HX-Trigger"])["toast"]


def test_index_redirects_to_the_first_kind_and_switcher_lists_all(client, studio):
    login(client, "owner@a.test")
    response = client.get("/settings/config")
    assert response.status_code == 302 and response.location.endswith(
        "/settings/config/project_type"
    )
    assert client.get("/settings/config?kind=trade").location.endswith("/settings/config/trade")
    page = client.get("/settings/config/project_status").get_data(as_text=True)
    for kind in ENTITY_TYPES:
        assert f"/settings/config/{kind}" in page
    assert 'data-realtime-topic="config:project_status"' in page
    assert "פעיל" in page and "Active" in page and "סופי" in page and "ברירת מחדל" in page
    assert client.get("/settings/config/nope").status_code == 404


def test_htmx_get_returns_only_the_list_fragment(client, studio):
    login(client, "owner@a.test")
    html = client.get("/settings/config/trade", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="config-list"') and "<html" not in html


def test_add_rename_recolour_and_errors(client, studio):
    login(client, "owner@a.test")
    page = "/settings/config/room_type"
    response = post_form(client, page, {"name": "", "name_en": "", "color": "blue"}, page=page)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "שדה חובה." in html and "#RRGGBB" in html
    with tenant_scope(studio.id):
        count = len(config.entries("room_type", active_only=False))
    response = post_form(
        client, page, {"name": "מחסן", "name_en": "Storage", "color": "#112233"}, page=page
    )
    assert response.status_code == 302
    storage = entry(studio, "room_type", "storage")
    assert storage.name == "מחסן" and storage.color == "#112233"
    edit = f"/settings/config/room_type/{storage.id}/edit"
    assert client.get(edit).status_code == 200
    response = post_form(
        client,
        edit,
        {"name": "מחסן ביתי", "name_en": "Home storage", "color": "#445566"},
        page=edit,
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        db.session.refresh(storage)
        assert (storage.name, storage.name_en, storage.color) == (
            "מחסן ביתי",
            "Home storage",
            "#445566",
        )
        assert len(config.entries("room_type", active_only=False)) == count + 1
    response = post_form(client, edit, {"name": "סלון", "color": "#445566"}, page=edit)
    assert response.status_code == 422 and "כבר יש" in response.get_data(as_text=True)


def test_edit_status_final_and_transitions(client, studio):
    login(client, "owner@a.test")
    review = entry(studio, "task_status", "review")
    edit = f"/settings/config/task_status/{review.id}/edit"
    html = client.get(edit).get_data(as_text=True)
    assert "מעברים מותרים" in html and "סטטוס סופי" in html
    response = post_form(
        client,
        edit,
        {
            "name": "בבדיקה",
            "name_en": "In review",
            "color": "#F59E0B",
            "is_final": "y",
            "allowed_transitions": ["todo"],
        },
        page=edit,
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        db.session.refresh(review)
        assert review.is_final and review.allowed_transitions == ["todo"]


def test_htmx_actions_return_the_list_with_a_toast(client, studio):
    login(client, "owner@a.test")
    villa = entry(studio, "project_type", "villa")
    response = hx_post(client, f"/settings/config/project_type/{villa.id}/default")
    assert response.status_code == 200 and 'id="config-list"' in response.get_data(as_text=True)
    assert toast(response)["level"] == "success"
    assert entry(studio, "project_type", "villa").is_default
    assert not entry(studio, "project_type", "apartment").is_default

    shop = entry(studio, "project_type", "shop")
    response = hx_post(client, f"/settings/config/project_type/{shop.id}/active", {"active": "0"})
    assert response.status_code == 200 and not entry(studio, "project_type", "shop").is_active
    response = hx_post(client, f"/settings/config/project_type/{shop.id}/active", {"active": "1"})
    assert entry(studio, "project_type", "shop").is_active


def test_delete_refusals_say_why_and_custom_entries_go(client, studio, monkeypatch):
    login(client, "owner@a.test")
    plumber = entry(studio, "trade", "plumber")
    response = hx_post(client, f"/settings/config/trade/{plumber.id}/delete")
    assert response.status_code == 409 and "מובנה" in toast(response)["message"]
    assert toast(response)["level"] == "error"

    post_form(
        client,
        "/settings/config/trade",
        {"name": "זגג", "name_en": "Glazier", "color": "#000000"},
        page="/settings/config/trade",
    )
    glazier = entry(studio, "trade", "glazier")
    monkeypatch.setitem(config._usage_checks, "trade", [(lambda e: 2, lambda n: f"{n} ספקים")])
    response = hx_post(client, f"/settings/config/trade/{glazier.id}/delete")
    assert response.status_code == 409
    assert toast(response)["message"] == "לא ניתן למחוק: בשימוש ב-2 ספקים. אפשר להשבית במקום."
    # without JS: flash + redirect, nothing deleted
    response = post_form(
        client, f"/settings/config/trade/{glazier.id}/delete", page="/settings/config/trade"
    )
    assert response.status_code == 302 and entry(studio, "trade", "glazier") is not None
    monkeypatch.setitem(config._usage_checks, "trade", [])
    response = hx_post(client, f"/settings/config/trade/{glazier.id}/delete")
    assert response.status_code == 200 and entry(studio, "trade", "glazier") is None


def test_reorder_by_drag_post_and_by_move_buttons(client, studio):
    login(client, "owner@a.test")
    with tenant_scope(studio.id):
        ids = [str(e.id) for e in config.entries("project_status", active_only=False)]
    response = hx_post(
        client, "/settings/config/project_status/order", {"order": list(reversed(ids))}
    )
    assert response.status_code == 200
    with tenant_scope(studio.id):
        assert [e.key for e in config.entries("project_status")] == ["closed", "on_hold", "active"]
    active = entry(studio, "project_status", "active")
    response = post_form(
        client,
        f"/settings/config/project_status/{active.id}/move",
        {"direction": "up"},
        page="/settings/config/project_status",
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        assert [e.key for e in config.entries("project_status")] == ["closed", "active", "on_hold"]
    response = hx_post(client, "/settings/config/project_status/order", {"order": ids[:1]})
    assert response.status_code == 409


# (role, can read the page, can edit)
ROLES = [("owner", 200, True), ("manager", 200, False), ("member", 403, False)]


@pytest.mark.parametrize(("role", "read", "edits"), ROLES)
def test_permission_matrix(client, studio, role, read, edits):
    login(client, f"{role}@a.test")
    assert client.get("/settings/config/trade").status_code == read
    assert client.get("/settings/config").status_code == (302 if read == 200 else 403)
    page = client.get("/settings/config/trade").get_data(as_text=True)
    assert ("הוספה לרשימה" in page) is edits
    carpenter = entry(studio, "trade", "carpenter")
    expected = 302 if edits else 403
    anchor = "/settings/security"
    for url, data in [
        ("/settings/config/trade", {"name": "זגג", "color": "#000000"}),
        (f"/settings/config/trade/{carpenter.id}/edit", {"name": "נגר", "color": "#000000"}),
        (f"/settings/config/trade/{carpenter.id}/default", {}),
        (f"/settings/config/trade/{carpenter.id}/active", {"active": "0"}),
        (f"/settings/config/trade/{carpenter.id}/move", {"direction": "up"}),
    ]:
        assert post_form(client, url, data, page=anchor).status_code == expected, url
    assert client.get(f"/settings/config/trade/{carpenter.id}/edit").status_code == (
        200 if edits else 403
    )


def test_manager_with_settings_flag_can_edit(client, studio):
    add_member(studio, "settings@a.test", "manager", can_manage_settings=True)
    login(client, "settings@a.test")
    page = client.get("/settings/config/trade").get_data(as_text=True)
    assert "הוספה לרשימה" in page


def test_another_tenants_entries_are_not_found(client, studio, ctx):
    other, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    with tenant_scope(other.id):
        foreign = config.get_by_key("trade", "carpenter")
        foreign.name = "נגר של בית"
        db.session.commit()
        foreign_id = foreign.id
    login(client, "owner@a.test")
    assert "נגר של בית" not in client.get("/settings/config/trade").get_data(as_text=True)
    anchor = "/settings/config/trade"
    assert client.get(f"/settings/config/trade/{foreign_id}/edit").status_code == 404
    for action in ("default", "active", "delete", "move"):
        assert (
            post_form(
                client, f"/settings/config/trade/{foreign_id}/{action}", page=anchor
            ).status_code
            == 404
        )
    # the right id under the wrong kind is not found either
    own = entry(studio, "trade", "carpenter")
    assert client.get(f"/settings/config/room_type/{own.id}/edit").status_code == 404
    with tenant_scope(other.id):
        assert (
            db.session.scalar(
                select(ConfigurableEntity.name).where(ConfigurableEntity.id == foreign_id)
            )
            == "נגר של בית"
        )


def test_list_page_query_count_does_not_grow_with_entries(client, studio, count_queries):
    login(client, "owner@a.test")
    client.get("/settings/config/trade")
    with count_queries() as few:
        client.get("/settings/config/trade")
    with tenant_scope(studio.id):
        owner = db.session.scalar(select(Membership))
        for i in range(15):
            config.create_entry(owner, "trade", name=f"מקצוע {i}", name_en=f"Trade {i}")
        db.session.commit()
    with count_queries() as many:
        client.get("/settings/config/trade")
    assert many.count == few.count
    assert few.count <= 15
