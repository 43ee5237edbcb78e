"""Contacts services: create, update, inline edits, the activity log, archive, delete,
commercial terms, duplicates, the communication log, and two studios kept apart."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.activity.models import ActivityLog
from app.contacts import communication, services
from app.contacts.models import Client, CommunicationLog
from app.core.db import utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.tenancy import current_tenant_id, tenant_scope
from app.custom_fields import services as custom_fields
from app.custom_fields.models import CustomFieldValue
from app.extensions import db
from app.labels import services as labels
from app.labels.models import EntityLabel
from tests.contacts.conftest import make_contact, membership
from tests.factories import add_member


def activity(contact, action=None) -> list[ActivityLog]:
    query = select(ActivityLog).where(ActivityLog.entity_id == str(contact.id))
    if action:
        query = query.where(ActivityLog.action == action)
    return list(db.session.scalars(query))


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.errors


# ---- create and update -------------------------------------------------------------------------


def test_create_client_cleans_values_and_logs(owner):
    client = make_contact(
        owner,
        status="ליד",
        email="Dana@Example.com",
        phone="+972 50-123-4567",
        mobile="052 765 4321",
        lead_source="אינסטגרם",
        style_preferences="מודרני, כפרי",
    )
    assert (client.status, client.lead_stage) == ("lead", "new")  # a new lead enters "new"
    assert client.email == "dana@example.com" and client.lead_source == "instagram"
    assert (client.phone, client.phone_digits) == ("+972 50-123-4567", "0501234567")
    assert client.mobile_digits == "0527654321"
    assert client.style_preferences == ["מודרני", "כפרי"] and client.tenant_id == owner.tenant_id
    [created] = activity(client)
    assert (created.action, created.entity_type, created.client_id) == (
        "created",
        "client",
        client.id,
    )
    assert created.entity_name == "דנה כהן"


def test_create_refuses_invalid_input_with_every_field(owner):
    errors = errors_of(
        lambda: services.create_contact(owner, "client", {"name": "x", "email": "nope"})
    )
    assert {"name", "email", "type", "status", "preferred_communication"} <= set(errors)
    errors = errors_of(lambda: services.create_contact(owner, "professional", {"name": "יוסי"}))
    assert set(errors) == {"trade_key", "phone"}
    assert db.session.scalar(select(func.count(Client.id))) == 0


def test_update_logs_readable_old_and_new(owner):
    client = make_contact(owner, status="lead")
    changes = services.update_contact(owner, client, {"status": "active", "city": "חיפה"})
    assert changes["status"] == {"old": "ליד", "new": "פעיל"}
    assert changes["city"] == {"old": None, "new": "חיפה"}
    [updated] = activity(client, "updated")
    assert updated.changes == changes and updated.client_id == client.id
    assert services.update_contact(owner, client, {"status": "פעיל"}) == {}  # nothing changed
    assert len(activity(client, "updated")) == 1


def test_update_readable_for_config_and_booleans(owner):
    supplier = make_contact(owner, "supplier", category_key="lighting")
    changes = services.update_contact(
        owner, supplier, {"category_key": "ריהוט", "has_trade_account": "כן", "rating": "4"}
    )
    assert changes["category_key"] == {"old": "תאורה", "new": "ריהוט"}
    assert changes["has_trade_account"] == {"old": "לא", "new": "כן"}
    assert changes["rating"] == {"old": None, "new": 4}


def test_update_refuses_bad_values_and_keeps_the_contact(owner):
    client = make_contact(owner)
    errors = errors_of(lambda: services.update_contact(owner, client, {"email": "", "name": "ב"}))
    assert set(errors) == {"email", "name"}
    assert client.email == "dana@example.com" and client.name == "דנה כהן"


def test_update_phone_refreshes_its_digits(owner):
    client = make_contact(owner, phone="050-1234567")
    services.update_contact(owner, client, {"phone": "03-9876543", "mobile": "+972541112233"})
    assert (client.phone_digits, client.mobile_digits) == ("039876543", "0541112233")
    services.update_contact(owner, client, {"phone": ""})
    assert client.phone is None and client.phone_digits is None


def test_update_field_only_for_inline_fields(owner):
    client = make_contact(owner)
    assert services.update_field(owner, client, "city", "תל אביב")["city"]["new"] == "תל אביב"
    for key in ("notes", "lead_stage", "testimonial", "no_such_field", "tenant_id"):
        assert key in errors_of(lambda key=key: services.update_field(owner, client, key, "x"))
    assert "email" in errors_of(lambda: services.update_field(owner, client, "email", "bad"))


def test_lead_lost_needs_a_reason_and_referrer_rules(owner):
    referrer = make_contact(owner, name="רון המפנה", email="ron@example.com")
    client = make_contact(owner, status="lead", referred_by_client_id=str(referrer.id))
    assert client.referred_by_client_id == referrer.id
    assert "lost_reason" in errors_of(
        lambda: services.update_contact(owner, client, {"lead_stage": "lost"})
    )
    services.update_contact(owner, client, {"lead_stage": "lost", "lost_reason": "יקר מדי"})
    assert client.lead_stage == "lost"
    assert "referred_by_client_id" in errors_of(
        lambda: services.update_contact(owner, client, {"referred_by_client_id": str(client.id)})
    )
    assert "referred_by_client_id" in errors_of(
        lambda: services.update_contact(owner, client, {"referred_by_client_id": "not-an-id"})
    )
    changes = services.update_contact(owner, client, {"referred_by_client_id": ""})
    assert changes["referred_by_client_id"]["new"] is None


# ---- commercial terms ------------------------------------------------------------------------------


def test_commercial_terms_need_can_edit_financials(studio, owner):
    supplier = make_contact(owner, "supplier", discount_percent="10")
    assert supplier.discount_percent == Decimal("10.00")
    for role in ("member", "manager"):  # a manager may view them, not change them
        actor = membership(studio, role)
        with pytest.raises(PermissionDenied):
            services.update_contact(actor, supplier, {"discount_percent": "50"})
        with pytest.raises(PermissionDenied):
            services.update_field(actor, supplier, "credit_days", "60")
        assert services.update_contact(actor, supplier, {"city": role})  # other fields: fine
    assert supplier.discount_percent == Decimal("10.00") and supplier.credit_days is None
    # A member creating a supplier cannot slip terms in: they keep their defaults.
    other = make_contact(
        membership(studio, "member"), "supplier", name="ספק ב", discount_percent="90"
    )
    assert other.discount_percent is None
    services.update_contact(owner, supplier, {"discount_percent": "12.5"})
    assert supplier.discount_percent == Decimal("12.50")


def test_member_with_financial_flag_may_edit_terms(studio, owner):
    actor = add_member(studio, "finance@a.test", "member", can_edit_financials=True)
    supplier = make_contact(owner, "supplier")
    services.update_contact(actor, supplier, {"payment_terms": "שוטף + 30"})
    assert supplier.payment_terms == "שוטף + 30"


# ---- archive, restore, delete ------------------------------------------------------------------


def test_archive_and_restore_permissions(studio, owner):
    client = make_contact(owner)
    member = membership(studio, "member")
    with pytest.raises(PermissionDenied):
        services.set_archived(member, [client], True)
    assert services.set_archived(membership(studio, "manager"), [client], True) == [client]
    assert client.is_archived
    assert services.set_archived(owner, [client], True) == []  # already archived: no change
    deleter = add_member(studio, "deleter@a.test", "member", can_delete_records=True)
    assert services.set_archived(deleter, [client], False) == [client]
    assert not client.is_archived
    changes = [e.changes["archived"] for e in activity(client, "updated")]
    assert changes == [{"old": False, "new": True}, {"old": True, "new": False}]


def test_delete_only_from_the_archive_and_with_the_flag(studio, owner):
    client = make_contact(owner)
    vip = labels.create_label(owner, name="VIP", color="#FF0000", entity_types=["client"])
    labels.attach_label(owner, vip, "client", client.id)
    field = custom_fields.create_definition(
        owner, "client", {"name": "סגנון", "field_type": "text", "is_active": True}
    )
    db.session.add(
        CustomFieldValue(field_id=field.id, entity_type="client", entity_id=client.id, value="x")
    )
    communication.log_communication(
        owner, client, type="phone", direction="outgoing", content="שיחה"
    )
    with pytest.raises(ValidationFailed):
        services.delete_contact(owner, client)  # not archived yet
    services.set_archived(owner, [client], True)
    with pytest.raises(PermissionDenied):
        services.delete_contact(membership(studio, "manager"), client)  # no delete flag
    client_id = client.id
    services.delete_contact(owner, client)
    assert services.get_contact(client_id) is None
    for model in (EntityLabel, CustomFieldValue, CommunicationLog):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    deleted = db.session.scalar(
        select(ActivityLog).where(
            ActivityLog.action == "deleted", ActivityLog.entity_type == "client"
        )
    )
    assert deleted.entity_id == str(client_id) and deleted.entity_name == "דנה כהן"


# ---- duplicates ------------------------------------------------------------------------------------


def test_find_duplicates_by_email_phone_and_mobile_across_kinds(owner):
    dana = make_contact(owner, email="dana@example.com", phone="050-1234567", mobile="052-7654321")
    supplier = make_contact(owner, "supplier", email="sales@ace.co.il", phone="03-5556677")
    pro = make_contact(owner, "professional", phone="054-9998877")

    def found(email=None, phones=(), exclude_id=None):
        return [(d.contact, d.reason) for d in services.find_duplicates(email, phones, exclude_id)]

    assert found("DANA@Example.COM") == [(dana, "email")]
    assert found(None, ["+972 50 123 4567"]) == [(dana, "phone")]
    assert found(None, ["(052) 765-4321"]) == [(dana, "phone")]  # the mobile
    assert found("Sales@ace.co.il", []) == [(supplier, "email")]
    assert found(None, ["035556677", "+972-54-999-8877"]) == [(supplier, "phone"), (pro, "phone")]
    assert found("dana@example.com", ["050-1234567"], exclude_id=dana.id) == []
    assert found("nobody@example.com", ["050-0000000"]) == []
    assert found("", ["123"]) == []  # too short to mean anything
    duplicate = services.find_duplicates("dana@example.com", [])[0]
    assert duplicate.kind_label == "לקוח"


def test_get_contact_and_get_many(owner):
    client = make_contact(owner)
    supplier = make_contact(owner, "supplier")
    assert services.get_contact(client.id) is client
    assert services.get_contact(str(supplier.id)) is supplier
    assert services.get_contact(supplier.id, "client") is None
    assert services.get_contact("not-a-uuid") is None and services.get_contact(None) is None
    assert services.get_many("client", [str(client.id), "junk", supplier.id]) == [client]
    assert services.get_many("client", []) == []


# ---- communication log ---------------------------------------------------------------------------


def log(actor, contact, content="דיברנו על המטבח", **kw):
    kw = {"type": "phone", "direction": "outgoing"} | kw
    return communication.log_communication(actor, contact, content=content, **kw)


def test_log_communication_validates(owner):
    client = make_contact(owner)
    errors = errors_of(
        lambda: communication.log_communication(
            owner, client, type="fax", direction="sideways", content="  ", subject="x" * 201
        )
    )
    assert set(errors) == {"type", "direction", "content", "subject"}
    assert "content" in errors_of(lambda: log(owner, client, content="x" * 5001))
    far = utcnow() + timedelta(days=400)
    assert "date" in errors_of(lambda: log(owner, client, date=far))
    naive = log(owner, client, date=datetime(2026, 3, 1, 9, 30))  # read as UTC
    assert naive.date == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    entry = log(owner, client, subject="  ", content="  הצעת מחיר נשלחה  ")
    assert (entry.subject, entry.content, entry.user_id) == (None, "הצעת מחיר נשלחה", owner.user_id)
    commented = activity(client, "commented")
    assert {e.description for e in commented} == {"הצעת מחיר נשלחה", "דיברנו על המטבח"}
    assert {e.client_id for e in commented} == {client.id}


def test_entries_newest_first_with_paging_and_count(owner):
    supplier = make_contact(owner, "supplier")
    now = utcnow()
    for days in (3, 1, 2):
        log(owner, supplier, content=f"לפני {days} ימים", date=now - timedelta(days=days))
    log(owner, make_contact(owner), content="של לקוח אחר")
    entries = communication.entries_for(supplier)
    assert [e.content for e in entries] == ["לפני 1 ימים", "לפני 2 ימים", "לפני 3 ימים"]
    assert entries[0].user.id == owner.user_id  # author loaded with the entries
    older = communication.entries_for(supplier, limit=5, before=entries[0].date)
    assert [e.content for e in older] == ["לפני 2 ימים", "לפני 3 ימים"]
    assert communication.count_for(supplier) == 3
    assert communication.get_entry(supplier, entries[0].id) is entries[0]
    assert communication.get_entry(make_contact(owner, "professional"), entries[0].id) is None
    assert communication.get_entry(supplier, "junk") is None


def test_delete_own_entries_or_with_the_delete_flag(studio, owner):
    client = make_contact(owner)
    member = membership(studio, "member")
    mine, owners = log(member, client, "שלי"), log(owner, client, "של הבעלים")
    with pytest.raises(PermissionDenied):
        communication.delete_entry(member, client, owners)
    communication.delete_entry(member, client, mine)
    communication.delete_entry(owner, client, log(member, client, "עוד אחד"))  # owner may
    assert [e.content for e in communication.entries_for(client)] == ["של הבעלים"]


# ---- two studios ---------------------------------------------------------------------------------


@pytest.fixture
def theirs(other_studio):
    """A client, supplier and professional of the other studio, created in its own scope."""
    with tenant_scope(other_studio.id):
        actor = membership(other_studio, "owner")
        contacts = [
            make_contact(actor, email="shared@example.com", phone="050-1234567"),
            make_contact(actor, "supplier", email="shared@example.com"),
            make_contact(actor, "professional", phone="050-1234567"),
        ]
        ids = [c.id for c in contacts]
        db.session.commit()
    return ids


def test_another_studios_contacts_are_invisible(theirs, owner):
    assert current_tenant_id() == owner.tenant_id  # (creating a studio puts it in scope)
    for contact_id in theirs:
        assert services.get_contact(contact_id) is None
    assert services.get_many("client", theirs) == []
    assert services.find_duplicates("shared@example.com", ["050-1234567"]) == []
    mine = make_contact(owner, email="shared@example.com")
    assert [d.contact.id for d in services.find_duplicates("shared@example.com", [])] == [mine.id]
    assert db.session.scalar(select(func.count(Client.id))) == 1


def test_each_studio_cleans_against_its_own_lists(other_studio, owner):
    from app.configuration import services as config

    assert make_contact(owner, "professional", trade_key="חשמלאי").trade_key == "electrician"
    with tenant_scope(other_studio.id):
        actor = membership(other_studio, "owner")
        config.create_entry(actor, "trade", name="טייח", name_en="Plasterer")
        assert make_contact(actor, "professional", trade_key="טייח").trade_key == "plasterer"
    assert "trade_key" in errors_of(lambda: make_contact(owner, "professional", trade_key="טייח"))
