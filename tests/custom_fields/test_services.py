"""Definitions (rules, reorder, delete) and the reusable component (values), without HTTP."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.activity.models import ActivityLog
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.tenancy import set_tenant, tenant_scope
from app.custom_fields import services
from app.custom_fields.models import CustomFieldDefinition, CustomFieldValue
from app.extensions import db
from app.tenants.models import Membership
from tests.factories import add_member, make_studio


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    set_tenant(tenant.id)
    actor = db.session.scalar(select(Membership).where(Membership.user_id == owner.id))
    return tenant, actor


def define(actor, entity_type="project", **data):
    base = {"name": "שדה", "field_type": "text", "is_active": True, "show_in_card": True}
    return services.create_definition(actor, entity_type, base | data)


def errors_of(actor, entity_type="project", **data):
    with pytest.raises(ValidationFailed) as caught:
        define(actor, entity_type, **data)
    db.session.rollback()
    return caught.value.errors


def test_create_definition_generates_key_order_and_activity(studio):
    tenant, actor = studio
    first = define(actor, name="Budget range", field_type="number")
    second = define(actor, name="סגנון", field_type="select", options=[{"label": "מודרני"}])
    assert first.field_key == "budget_range" and first.order == 1
    assert second.field_key == "field_2" and second.order == 2
    assert second.options == [
        {"value": "מודרני", "label": "מודרני", "color": None, "is_default": False}
    ]
    assert db.session.scalar(select(func.count(ActivityLog.id))) == 2


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"name": ""}, "name", "חובה"),
        ({"field_key": "Bad Key"}, "field_key", "budget_range"),
        ({"field_type": "color"}, "field_type", "סוג"),
        ({"field_type": "number", "min_value": "10", "max_value": "5"}, "max_value", "גדול"),
        ({"field_type": "number", "min_value": "abc"}, "min_value", "מספר"),
        ({"field_type": "date", "max_value": "31/02/2026"}, "max_value", "תאריך"),
        ({"field_type": "text", "min_value": "1"}, "min_value", "רק למספר"),
        ({"min_length": "10", "max_length": "3"}, "max_length", "גדול"),
        ({"min_length": "שלוש"}, "min_length", "מספר שלם"),
        ({"field_type": "number", "max_length": "3"}, "max_length", "טקסט"),
        ({"pattern": "([a-z"}, "pattern", "אינו תקין"),
        ({"pattern": "(a+)+$"}, "pattern", "מקוננים"),
        ({"field_type": "select", "options": []}, "options", "לפחות אפשרות"),
        (
            {"field_type": "multiselect", "options": [{"label": "א"}, {"label": "א"}]},
            "options",
            "פעמיים",
        ),
        ({"field_type": "select", "options": [{"label": "א", "color": "red"}]}, "options", "צבע"),
        (
            {
                "field_type": "select",
                "options": [{"label": "א", "is_default": True}, {"label": "ב", "is_default": True}],
            },
            "options",
            "אחת בלבד",
        ),
        (
            {"field_type": "number", "min_value": "0", "default_value": "-3"},
            "default_value",
            "לפחות",
        ),
        ({"field_type": "email", "default_value": "nope"}, "default_value", "אימייל"),
    ],
)
def test_invalid_definitions_get_field_level_hebrew_errors(studio, data, field, fragment):
    tenant, actor = studio
    errors = errors_of(actor, **data)
    assert field in errors and any(fragment in m for m in errors[field]), errors
    assert db.session.scalar(select(func.count(CustomFieldDefinition.id))) == 0


def test_duplicate_key_per_entity_type_only(studio):
    tenant, actor = studio
    define(actor, field_key="style")
    assert "field_key" in errors_of(actor, field_key="style")
    assert define(actor, "client", field_key="style").entity_type == "client"


def test_field_type_cannot_change_once_values_exist(studio):
    tenant, actor = studio
    definition = define(actor, field_key="note")
    entity_id = uuid.uuid4()
    assert services.validate_and_save(actor, "project", entity_id, {"cf-note": "שלום"}) == {}
    with pytest.raises(ValidationFailed) as caught:
        services.update_definition(
            actor, definition, {"name": "שדה", "field_type": "number", "field_key": "note"}
        )
    assert "field_type" in caught.value.errors


def test_move_and_delete(studio):
    tenant, actor = studio
    a, b, c = (define(actor, name=n, field_key=n) for n in ("a", "b", "c"))
    assert services.move_definition(actor, c, "up") is True
    assert [d.field_key for d in services.definitions("project")] == ["a", "c", "b"]
    assert services.move_definition(actor, a, "up") is False
    services.validate_and_save(
        actor, "project", uuid.uuid4(), {"cf-b": "x", "cf-a": "y", "cf-c": "z"}
    )
    assert services.delete_definition(actor, b) == 1
    assert [d.field_key for d in services.definitions("project")] == ["a", "c"]
    assert db.session.scalar(select(func.count(CustomFieldValue.id))) == 2


def test_only_settings_managers_change_definitions(studio):
    tenant, actor = studio
    manager = add_member(tenant, "manager@a.test", "manager")
    with pytest.raises(PermissionDenied):
        define(manager)
    flagged = add_member(tenant, "member@a.test", "member", can_manage_settings=True)
    assert define(flagged).id


# --- the component -----------------------------------------------------------------------


def full_set(actor):
    define(actor, name="הערה", field_key="note", field_type="text", group_name="כללי")
    define(actor, name="תקציב", field_key="budget", field_type="currency", is_required=True)
    define(actor, name="שטח", field_key="area", field_type="number", min_value="1")
    define(actor, name="מסירה", field_key="handover", field_type="date")
    define(
        actor,
        name="חומרים",
        field_key="materials",
        field_type="multiselect",
        options=[
            {"label": "עץ", "value": "wood", "color": "#8B5A2B"},
            {"label": "בטון", "value": "concrete"},
        ],
    )
    define(actor, name="חניה", field_key="parking", field_type="boolean")
    define(actor, name="מושבת", field_key="old", field_type="text", is_active=False)


def test_values_round_trip_and_activity(studio):
    tenant, actor = studio
    full_set(actor)
    entity_id = uuid.uuid4()
    data = MultiDict(
        [
            ("cf-note", "ליד הים"),
            ("cf-budget", "250000"),
            ("cf-area", "120.5"),
            ("cf-handover", "2026-09-01"),
            ("cf-materials", "concrete"),
            ("cf-materials", "wood"),
            ("cf-parking", "y"),
        ]
    )
    assert services.validate_and_save(actor, "project", entity_id, data) == {}
    values = services.values_for("project", [entity_id])[entity_id]
    assert values == {
        "note": "ליד הים",
        "budget": Decimal("250000.00"),
        "area": Decimal("120.5"),
        "handover": __import__("datetime").date(2026, 9, 1),
        "materials": ["wood", "concrete"],
        "parking": True,
    }
    form = services.custom_field_form("project", entity_id)
    assert form.form["budget"].data == "250000.00"
    assert [g["name"] for g in form.groups] == ["כללי", None]
    assert "old" not in form.form  # inactive definitions are not shown
    log = db.session.scalars(select(ActivityLog).where(ActivityLog.entity_type == "project")).one()
    assert log.changes["custom.budget"] == {"old": None, "new": "250,000.00"}
    # clearing a value deletes its row; an unchanged save writes nothing
    data.setlist("cf-note", [""])
    assert services.validate_and_save(actor, "project", entity_id, data) == {}
    assert "note" not in services.values_for("project", [entity_id])[entity_id]


def test_nothing_is_written_when_any_value_is_invalid(studio):
    tenant, actor = studio
    full_set(actor)
    entity_id = uuid.uuid4()
    errors = services.validate_and_save(
        actor,
        "project",
        entity_id,
        {"cf-note": "תקין", "cf-budget": "", "cf-area": "0", "cf-materials": "gold"},
    )
    assert errors == {
        "budget": ["שדה חובה."],
        "area": ["הערך חייב להיות 1 לפחות."],
        "materials": ["יש לבחור מתוך האפשרויות ברשימה."],
    }
    assert db.session.scalar(select(func.count(CustomFieldValue.id))) == 0
    form = services.custom_field_form("project", entity_id, data={"cf-area": "0"}, errors=errors)
    assert form.form["area"].errors == ["הערך חייב להיות 1 לפחות."]
    assert form.form["area"].data == "0"  # the input is kept


def test_new_entity_gets_defaults(studio):
    tenant, actor = studio
    define(
        actor,
        field_key="style",
        field_type="select",
        options=[{"label": "כפרי"}, {"label": "מודרני", "is_default": True}],
    )
    define(actor, field_key="floors", field_type="number", default_value="2")
    form = services.custom_field_form("project")
    assert form.form["style"].data == "מודרני" and form.form["floors"].data == "2"


def test_values_for_many_entities_in_one_query(studio, count_queries):
    tenant, actor = studio
    full_set(actor)
    ids = [uuid.uuid4() for _ in range(20)]
    for i in ids:
        services.validate_and_save(actor, "project", i, {"cf-budget": "10", "cf-note": str(i)[:8]})
    defs = services.definitions("project")
    with count_queries() as q:
        values = services.values_for("project", ids, defs=defs)
    assert q.count == 1
    assert all(values[i]["budget"] == Decimal("10.00") for i in ids)
    with count_queries() as q:
        services.values_for("project", ids)
    assert q.count == 2


def test_two_tenants_never_see_each_others_fields_or_values(studio):
    tenant, actor = studio
    define(actor, field_key="secret")
    entity_id = uuid.uuid4()
    services.validate_and_save(actor, "project", entity_id, {"cf-secret": "של אלף"})
    db.session.commit()
    other, other_owner = make_studio(name="סטודיו בית", email="owner@b.test")
    with tenant_scope(other.id):
        assert services.definitions("project", active_only=False) == []
        assert services.values_for("project", [entity_id]) == {entity_id: {}}
        assert db.session.scalar(select(func.count(CustomFieldValue.id))) == 0
        other_actor = db.session.scalar(
            select(Membership).where(Membership.user_id == other_owner.id)
        )
        # the same key is free in another studio
        assert define(other_actor, field_key="secret").tenant_id == other.id
        db.session.commit()
