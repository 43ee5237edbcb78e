"""/settings/custom-fields: pages, permissions per role, isolation, bad input, query counts."""

import pytest
from sqlalchemy import func, select

from app.core.tenancy import tenant_scope
from app.custom_fields import services
from app.custom_fields.models import CustomFieldDefinition
from app.extensions import db
from app.tenants.models import Membership
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio

PAGE = "/settings/custom-fields/"


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    add_member(tenant, "settings@a.test", "member", can_manage_settings=True)
    return tenant


def owner_of(tenant):
    with tenant_scope(tenant.id):
        return db.session.scalar(
            select(Membership).where(Membership.tenant_id == tenant.id, Membership.role == "owner")
        )


def make_field(tenant, entity_type="project", **data):
    with tenant_scope(tenant.id):
        definition = services.create_definition(
            owner_of(tenant),
            entity_type,
            {"name": "סגנון", "field_type": "text", "is_active": True} | data,
        )
        db.session.commit()
        return definition


NEW = {
    "name": "סגנון עיצוב",
    "field_key": "design_style",
    "field_type": "select",
    "is_active": "y",
    "show_in_list": "y",
    "group_name": "עיצוב",
    "option-0-label": "מודרני",
    "option-0-color": "#3399ff",
    "option-1-label": "כפרי",
    "option-1-color": "#8b5a2b",
    "option-default": "1",
    "option-2-label": "",
    "option-2-color": "#22c55e",
}


@pytest.mark.parametrize(
    ("role", "status", "sees_new"),
    [
        ("owner", 200, True),
        ("manager", 200, False),
        ("member", 403, False),
        ("settings", 200, True),
    ],
)
def test_list_permissions_per_role(client, studio, role, status, sees_new):
    make_field(studio)
    login(client, f"{role}@a.test")
    response = client.get(PAGE)
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "סגנון" in page
        assert ("שדה חדש" in page) is sees_new
        assert ("/move" in page) is sees_new


@pytest.mark.parametrize("role", ["manager", "member"])
def test_only_settings_managers_can_change_definitions(client, studio, role):
    definition = make_field(studio)
    login(client, f"{role}@a.test")
    assert client.get(f"{PAGE}new").status_code == 403
    assert client.get(f"{PAGE}{definition.id}").status_code == 403
    for url in (f"{PAGE}new", f"{PAGE}{definition.id}", f"{PAGE}{definition.id}/delete"):
        assert post_form(client, url, NEW, page="/settings/security").status_code == 403
    assert (
        post_form(
            client, f"{PAGE}{definition.id}/move", {"direction": "up"}, page="/settings/security"
        ).status_code
        == 403
    )


def test_every_entity_type_has_a_list(client, studio):
    login(client, "owner@a.test")
    for entity_type in (
        "project",
        "client",
        "supplier",
        "product",
        "room",
        "task",
        "professional",
        "tenant",
    ):
        assert client.get(f"{PAGE}?entity={entity_type}").status_code == 200
    assert client.get(f"{PAGE}?entity=invoice").status_code == 404


def test_create_select_field_with_coloured_options(client, studio):
    login(client, "owner@a.test")
    response = post_form(client, f"{PAGE}new?entity=client", NEW, page=PAGE)
    assert response.status_code == 302
    with tenant_scope(studio.id):
        definition = db.session.scalar(select(CustomFieldDefinition))
        assert definition.entity_type == "client" and definition.field_key == "design_style"
        assert [(o["label"], o["color"]) for o in definition.options] == [
            ("מודרני", "#3399FF"),
            ("כפרי", "#8B5A2B"),
        ]
        assert definition.default_value == "כפרי" and definition.show_in_list
    page = client.get(f"{PAGE}?entity=client").get_data(as_text=True)
    assert "סגנון עיצוב" in page and "background: #8B5A2B" in page


def test_invalid_definition_shows_errors_keeps_input_and_saves_nothing(client, studio):
    login(client, "owner@a.test")
    bad = NEW | {
        "field_type": "number",
        "min_value": "10",
        "max_value": "2",
        "pattern": "([",
        "field_key": "Bad Key",
    }
    response = post_form(client, f"{PAGE}new?entity=project", bad, page=PAGE)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "הערך המקסימלי חייב להיות גדול מהמינימלי" in page
    assert "מפתח: אותיות באנגלית" in page
    assert "תבנית מתאימה רק לשדות טקסט" in page
    assert 'value="Bad Key"' in page and "מודרני" in page
    with tenant_scope(studio.id):
        assert db.session.scalar(select(func.count(CustomFieldDefinition.id))) == 0
    select_without_options = {k: v for k, v in NEW.items() if not k.startswith("option-")}
    response = post_form(client, f"{PAGE}new?entity=project", select_without_options, page=PAGE)
    assert response.status_code == 422
    assert "לשדה בחירה צריך לפחות אפשרות אחת" in response.get_data(as_text=True)


def test_edit_move_and_delete(client, studio):
    first = make_field(studio, field_key="first", name="ראשון")
    second = make_field(studio, field_key="second", name="שני")
    login(client, "owner@a.test")
    page = client.get(f"{PAGE}{second.id}").get_data(as_text=True)
    assert 'value="second"' in page
    response = post_form(
        client,
        f"{PAGE}{second.id}",
        {"name": "שני מעודכן", "field_key": "second", "field_type": "textarea", "is_active": "y"},
        page=PAGE,
    )
    assert response.status_code == 302
    response = client.post(
        f"{PAGE}{second.id}/move",
        data={"direction": "up", "csrf_token": _token(client)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.index("שני מעודכן") < fragment.index("ראשון")
    assert 'id="custom-fields-list"' in fragment and "<html" not in fragment
    assert post_form(client, f"{PAGE}{first.id}/delete", page=PAGE).status_code == 302
    with tenant_scope(studio.id):
        assert [d.field_key for d in services.definitions("project", active_only=False)] == [
            "second"
        ]


def _token(client):
    from tests.conftest import csrf_from

    return csrf_from(client, PAGE)


def test_another_studios_definition_is_404_and_never_listed(client, studio):
    other, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    foreign = make_field(other, name="שדה זר", field_key="foreign")
    login(client, "owner@a.test")
    assert "שדה זר" not in client.get(PAGE).get_data(as_text=True)
    assert client.get(f"{PAGE}{foreign.id}").status_code == 404
    assert post_form(client, f"{PAGE}{foreign.id}", NEW, page=PAGE).status_code == 404
    assert post_form(client, f"{PAGE}{foreign.id}/delete", page=PAGE).status_code == 404
    with tenant_scope(other.id):
        assert db.session.get(CustomFieldDefinition, foreign.id) is not None


def test_list_page_query_count_does_not_grow_with_fields(client, studio, count_queries):
    login(client, "owner@a.test")
    make_field(studio, field_key="f0", field_type="select", options=[{"label": "א"}])
    client.get(PAGE)
    with count_queries() as few:
        client.get(PAGE)
    for i in range(1, 15):
        make_field(studio, field_key=f"f{i}", field_type="select", options=[{"label": "א"}])
    with count_queries() as many:
        assert client.get(PAGE).status_code == 200
    assert many.count == few.count
