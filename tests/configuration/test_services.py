"""Configuration services without HTTP: defaults, deletes, transitions, reorder, usage."""

import pytest
from sqlalchemy import select

from app.activity.models import ActivityLog
from app.configuration import services as config
from app.configuration.models import ENTITY_TYPES, ConfigurableEntity
from app.core.errors import ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership
from tests.factories import make_studio


@pytest.fixture
def owner(ctx):
    tenant, user = make_studio(name="סטודיו אלף", email="owner@a.test")
    with tenant_scope(tenant.id):
        membership = db.session.scalar(select(Membership))
        yield membership


@pytest.fixture
def usage_registry():
    saved = {k: list(v) for k, v in config._usage_checks.items()}
    yield config._usage_checks
    config._usage_checks.clear()
    config._usage_checks.update(saved)


def test_every_kind_has_defaults_with_exactly_one_default(owner):
    for kind in ENTITY_TYPES:
        items = config.entries(kind)
        assert items, kind
        assert sum(e.is_default for e in items) == 1
        assert [e.order for e in items] == sorted(e.order for e in items)


def test_query_helpers(owner):
    assert config.get_by_key("task_status", "done").name == "הושלם"
    assert config.get_by_key("task_status", "nope") is None
    assert config.default_entry("project_type").key == "apartment"
    with pytest.raises(ValueError):
        config.entries("not_a_kind")


def test_create_generates_key_order_and_logs(owner):
    entry = config.create_entry(
        owner, "room_type", name="מחסן", name_en="Storage room", color="#112233"
    )
    again = config.create_entry(owner, "room_type", name="מחסן 2", name_en="Storage room")
    assert entry.key == "storage_room" and again.key == "storage_room_2"
    assert entry.order == len(config.entries("room_type")) - 1
    assert not entry.is_default and not entry.is_system
    log = db.session.scalar(select(ActivityLog).where(ActivityLog.entity_id == str(entry.id)))
    assert log.action == "created" and log.entity_type == "configurable_entity"


def test_create_refuses_bad_input(owner):
    with pytest.raises(ValidationFailed) as error:
        config.create_entry(owner, "trade", name=" ", color="red")
    assert set(error.value.errors) == {"name", "color"}
    with pytest.raises(ValidationFailed) as error:
        config.create_entry(owner, "trade", name="נגר")
    assert "כבר יש" in error.value.errors["name"][0]


def test_set_default_keeps_exactly_one(owner):
    villa = config.get_by_key("project_type", "villa")
    config.set_default(owner, villa)
    defaults = [e.key for e in config.entries("project_type") if e.is_default]
    assert defaults == ["villa"]
    config.set_active(owner, config.get_by_key("project_type", "shop"), False)
    with pytest.raises(ValidationFailed):
        config.set_default(owner, config.get_by_key("project_type", "shop"))
    with pytest.raises(ValidationFailed):  # the default cannot be switched off
        config.set_active(owner, villa, False)


def test_system_and_default_entries_cannot_be_deleted(owner):
    with pytest.raises(ValidationFailed) as error:
        config.delete_entry(owner, config.get_by_key("trade", "plumber"))
    assert "מובנה" in error.value.messages[0]
    custom = config.create_entry(owner, "trade", name="זגג", name_en="Glazier")
    config.set_default(owner, custom)
    with pytest.raises(ValidationFailed) as error:
        config.delete_entry(owner, custom)
    assert "ברירת המחדל" in error.value.messages[0]


def test_entry_in_use_cannot_be_deleted_but_can_be_deactivated(owner, usage_registry):
    entry = config.create_entry(owner, "project_type", name="מלון", name_en="Hotel")
    config.register_usage_check(
        "project_type",
        lambda e: 3 if e.key == "hotel" else 0,
        label=lambda n: f"{n} פרויקטים",
    )
    with pytest.raises(ValidationFailed) as error:
        config.delete_entry(owner, entry)
    assert error.value.messages == ["לא ניתן למחוק: בשימוש ב-3 פרויקטים. אפשר להשבית במקום."]
    config.set_active(owner, entry, False)
    assert entry not in config.entries("project_type")
    assert entry in config.entries("project_type", active_only=False)


def test_unused_custom_entry_is_deleted_and_leaves_no_dangling_transition(owner):
    entry = config.create_entry(owner, "task_status", name="ממתין ללקוח", name_en="Waiting")
    todo = config.get_by_key("task_status", "todo")
    config.update_entry(
        owner,
        todo,
        name=todo.name,
        name_en=todo.name_en,
        color=todo.color,
        allowed_transitions=["in_progress", "waiting"],
    )
    config.delete_entry(owner, entry)
    assert config.get_by_key("task_status", "waiting") is None
    assert todo.allowed_transitions == ["in_progress"]


def test_validate_transition(owner):
    # listed transitions
    assert config.validate_transition("task_status", "todo", "in_progress").key == "in_progress"
    with pytest.raises(config.InvalidTransition) as error:
        config.validate_transition("task_status", "todo", "review")
    assert error.value.code == "INVALID_STATUS_TRANSITION"
    assert "לעשות" in error.value.message and "בבדיקה" in error.value.message
    # same status and a new record are always fine
    config.validate_transition("task_status", "review", "review")
    config.validate_transition("task_status", None, "review")
    # unknown or inactive target
    with pytest.raises(config.InvalidTransition):
        config.validate_transition("task_status", "todo", "nope")


def test_empty_transitions_mean_any_but_final_is_left_only_through_its_list(owner):
    phases = config.entries("project_phase")
    assert all(not p.allowed_transitions for p in phases)
    config.validate_transition("project_phase", "consultation", "installation")  # any
    with pytest.raises(config.InvalidTransition) as error:  # handover: final, no list
        config.validate_transition("project_phase", "handover", "concept")
    assert "סופי" in error.value.message
    # a final status with a list: only the listed ones
    config.validate_transition("project_status", "closed", "active")
    with pytest.raises(config.InvalidTransition):
        config.validate_transition("project_status", "closed", "on_hold")
    assert [e.key for e in config.allowed_targets("project_status", "closed")] == [
        "active",
        "closed",
    ]


def test_update_status_transitions_and_final(owner):
    review = config.get_by_key("task_status", "review")
    changes = config.update_entry(
        owner,
        review,
        name="בבקרה",
        name_en="QA",
        color="#ABCDEF",
        is_final=True,
        allowed_transitions=["todo", "review", "todo"],
    )
    assert review.allowed_transitions == ["todo"]  # no self, no duplicates
    assert set(changes) == {"name", "name_en", "color", "is_final", "allowed_transitions"}
    with pytest.raises(ValidationFailed):
        config.update_entry(owner, review, name="x", allowed_transitions=["ghost"])
    # not a status kind: final and transitions are ignored
    villa = config.get_by_key("project_type", "villa")
    config.update_entry(
        owner,
        villa,
        name="וילה",
        color="#8B5CF6",
        is_final=True,
        allowed_transitions=["office"],
        name_en="Villa",
    )
    assert not villa.is_final and villa.allowed_transitions == []


def test_reorder_and_move(owner):
    items = config.entries("project_status", active_only=False)
    ids = [e.id for e in reversed(items)]
    assert config.reorder(owner, "project_status", ids) == 2  # the middle one stays
    assert [e.key for e in config.entries("project_status")] == ["closed", "on_hold", "active"]
    config.move(owner, config.get_by_key("project_status", "active"), "up")
    assert [e.key for e in config.entries("project_status")] == ["closed", "active", "on_hold"]
    assert config.move(owner, config.get_by_key("project_status", "closed"), "up") == 0
    with pytest.raises(ValidationFailed):  # a partial or stale list is refused
        config.reorder(owner, "project_status", ids[:2])


def test_changes_publish_on_the_kind_topic(owner, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "app.configuration.services.publish", lambda topic, event, **kw: sent.append((topic, event))
    )
    config.set_default(owner, config.get_by_key("trade", "carpenter"))
    config.create_entry(owner, "trade", name="זגג", name_en="Glazier")
    assert sent == [("config:trade", "entity_updated"), ("config:trade", "entity_created")]


def test_two_tenants_lists_are_separate(ctx):
    tenant_a, _ = make_studio(name="א", email="a@a.test")
    tenant_b, _ = make_studio(name="ב", email="b@b.test")
    with tenant_scope(tenant_a.id):
        owner_a = db.session.scalar(select(Membership))
        config.create_entry(owner_a, "trade", name="זגג", name_en="Glazier")
        assert config.get_by_key("trade", "glazier") is not None
        count_a = len(config.entries("trade"))
    with tenant_scope(tenant_b.id):
        assert config.get_by_key("trade", "glazier") is None
        assert len(config.entries("trade")) == count_a - 1
        assert all(
            e.tenant_id == tenant_b.id for e in db.session.scalars(select(ConfigurableEntity))
        )
