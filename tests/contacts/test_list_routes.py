"""The contacts list page: tabs, filters in the URL, sort, pages, inline edit, the create panel,
duplicates, bulk actions with undo, saved views; roles, two studios, and query counts."""

import json
import re

import pytest
from sqlalchemy import func, select

from app.contacts.models import Client, Professional, Supplier
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from app.saved_views.models import SavedView
from tests.conftest import login, post_form
from tests.contacts.conftest import EMAILS, HX, ROLES, make_contact, membership
from tests.factories import add_member


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, "owner@a.test")


def seed(studio, count=3, **extra):
    with tenant_scope(studio.id):
        actor = membership(studio)
        made = [
            make_contact(
                actor,
                name=f"לקוח מספר {i:02d}",
                email=f"c{i}@example.com",
                phone=f"050-000{i:04d}",
                **extra,
            )
            for i in range(count)
        ]
        ids = [c.id for c in made]
        db.session.commit()
    return ids


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# ---- the list -----------------------------------------------------------------------------------


def test_tabs_render_each_kind_with_counts_and_empty_states(owner_client, studio):
    html = page_text(owner_client, "/contacts")
    assert "עוד אין לקוחות" in html and "אנשי קשר" in html
    with tenant_scope(studio.id):
        actor = membership(studio)
        make_contact(actor, "supplier", name="עץ ושות'", phone="03-5551234")
        make_contact(
            actor,
            "professional",
            name="משה הנגר",
            trade_key="carpenter",
            insurance_expiry="2000-01-01",
        )
        db.session.commit()
    suppliers = page_text(owner_client, "/contacts?tab=suppliers")
    assert "עץ ושות&#39;" in suppliers and "ספק חדש" in suppliers
    pros = page_text(owner_client, "/contacts?tab=professionals")
    assert "משה הנגר" in pros and "פג תוקף" in pros
    assert owner_client.get("/contacts?tab=planets").status_code == 404


def test_search_filters_sort_and_pages_are_in_the_url(owner_client, studio):
    seed(studio, 30)
    with tenant_scope(studio.id):
        actor = membership(studio)
        make_contact(
            actor,
            name="אורית ליד",
            email="lead@example.com",
            status="lead",
            lead_source="instagram",
            city="חיפה",
        )
        db.session.commit()
    html = page_text(owner_client, "/contacts?q=חיפה")
    assert "אורית ליד" in html and "לקוח מספר 01" not in html
    html = page_text(owner_client, "/contacts?status=lead&lead_source=instagram")
    assert "נמצאה רשומה אחת" in html
    html = page_text(owner_client, "/contacts?sort=name&dir=asc")
    assert html.index("אורית ליד") < html.index("לקוח מספר 00")
    html = page_text(owner_client, "/contacts?sort=name&dir=desc")
    assert html.index("לקוח מספר 29") < html.index("לקוח מספר 20")
    first = page_text(owner_client, "/contacts?sort=name&dir=asc")
    second = page_text(owner_client, "/contacts?sort=name&dir=asc&page=2")
    assert "עמוד 1 מתוך 2" in first and "עמוד 2 מתוך 2" in second
    assert "לקוח מספר 29" in second and "לקוח מספר 29" not in first
    # The phone search matches digits in any format.
    assert "לקוח מספר 07" in page_text(owner_client, "/contacts?q=%2B972500000007")


def test_htmx_filter_returns_the_list_fragment_only(owner_client, studio):
    seed(studio, 2)
    response = owner_client.get("/contacts?q=מספר", headers=HX | {"HX-Target": "contacts-list"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="contacts-list"') and "<html" not in html


def test_list_query_count_does_not_grow_with_rows(owner_client, studio, count_queries):
    seed(studio, 3)
    with tenant_scope(studio.id):
        vip = labels.create_label(
            membership(studio), name="VIP", color="#FF0000", entity_types=["client"]
        )
        for c in db.session.scalars(select(Client)):
            labels.attach_label(membership(studio), vip, "client", c.id)
        db.session.commit()
    owner_client.get("/contacts")
    with count_queries() as few:
        page_text(owner_client, "/contacts")
    seed_more = seed(studio, 20, status="lead")
    assert len(seed_more) == 20
    with count_queries() as many:
        html = page_text(owner_client, "/contacts")
    assert "VIP" in html
    assert many.count == few.count, (few.count, many.count)


# ---- roles and tenants ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_and_edits_the_list(make_client, studio, role):
    ids = seed(studio, 1)
    client = signed_in(make_client, EMAILS[role])
    assert "לקוח מספר 00" in page_text(client, "/contacts")
    response = post_form(
        client, f"/contacts/{ids[0]}/cell/city", {"value": "אילת"}, page="/contacts", headers=HX
    )
    assert response.status_code == 200 and "אילת" in response.get_data(as_text=True)


def test_signed_out_is_sent_to_login(client):
    response = client.get("/contacts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_studio_sees_nothing_and_cannot_touch(make_client, studio, other_studio):
    ids = seed(studio, 2)
    stranger = signed_in(make_client, "owner@b.test")
    html = page_text(stranger, "/contacts")
    assert "לקוח מספר" not in html
    assert stranger.get(f"/contacts/{ids[0]}/cell/city?edit=1").status_code == 404
    response = post_form(
        stranger, f"/contacts/{ids[0]}/cell/city", {"value": "x"}, page="/contacts"
    )
    assert response.status_code == 404
    post_form(
        stranger,
        "/contacts/bulk?tab=clients",
        {"ids": ids, "action": "status:past"},
        page="/contacts",
        headers=HX,
    )
    with tenant_scope(studio.id):
        assert {c.status for c in db.session.scalars(select(Client))} == {"active"}
    assert "duplicate" not in stranger.get("/contacts/duplicates?email=c0@example.com").get_data(
        as_text=True
    )
    assert "לקוח מספר" not in stranger.get("/contacts/duplicates?email=c0@example.com").get_data(
        as_text=True
    )


# ---- inline edit ------------------------------------------------------------------------------


def test_inline_edit_invalid_then_valid_phone(owner_client, studio):
    (cid,) = seed(studio, 1)
    editor = owner_client.get(f"/contacts/{cid}/cell/phone?edit=1", headers=HX).get_data(
        as_text=True
    )
    assert 'name="value"' in editor and "050-0000000" in editor
    bad = post_form(
        owner_client, f"/contacts/{cid}/cell/phone", {"value": "abc"}, page="/contacts", headers=HX
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert (
        "מספר הטלפון אינו תקין" in html
        and 'value="050-0000000"' in html
        and "הערך הקודם הוחזר" in html
    )
    good = post_form(
        owner_client,
        f"/contacts/{cid}/cell/phone",
        {"value": "052-7654321"},
        page="/contacts",
        headers=HX,
    )
    assert (
        good.status_code == 200
        and "052-7654321" in good.get_data(as_text=True)
        and "נשמר" in good.get_data(as_text=True)
    )
    with tenant_scope(studio.id):
        client = db.session.get(Client, cid)
        assert (client.phone, client.phone_digits) == ("052-7654321", "0527654321")


def test_inline_edit_refuses_fields_that_are_not_inline_or_not_allowed(make_client, studio):
    (cid,) = seed(studio, 1)
    owner = signed_in(make_client, "owner@a.test")
    assert owner.get(f"/contacts/{cid}/cell/notes?edit=1").status_code == 404
    assert owner.get(f"/contacts/{cid}/cell/nonsense?edit=1").status_code == 404
    with tenant_scope(studio.id):
        supplier = make_contact(membership(studio), "supplier", name="ספק בדיקה")
        sid = supplier.id
        db.session.commit()
    member = signed_in(make_client, "member@a.test")  # no financial flags
    assert member.get(f"/contacts/{sid}/cell/discount_percent?edit=1").status_code == 404
    assert "הנחה" not in page_text(member, "/contacts?tab=suppliers")
    assert owner.get(f"/contacts/{sid}/cell/discount_percent?edit=1").status_code == 200


def test_inline_edit_choice_shows_hebrew_and_logs_activity(owner_client, studio):
    (cid,) = seed(studio, 1)
    response = post_form(
        owner_client,
        f"/contacts/{cid}/cell/status",
        {"value": "past"},
        page="/contacts",
        headers=HX,
    )
    assert "לקוח עבר" in response.get_data(as_text=True)
    from app.activity.models import ActivityLog

    with tenant_scope(studio.id):
        entry = db.session.scalar(
            select(ActivityLog).where(
                ActivityLog.entity_id == str(cid), ActivityLog.action == "updated"
            )
        )
        assert entry.changes["status"] == {"old": "פעיל", "new": "לקוח עבר"}


# ---- create panel and duplicates ----------------------------------------------------------------


def test_create_from_the_panel(owner_client, studio):
    form = owner_client.get("/contacts/new?tab=clients", headers=HX).get_data(as_text=True)
    assert 'id="contact-create-form"' in form and "<html" not in form
    data = {
        "name": "רותם שחר",
        "type": "individual",
        "status": "lead",
        "email": "Rotem@Example.com",
        "phone": "054-1234567",
        "preferred_communication": "whatsapp",
        "lead_source": "instagram",
    }
    response = post_form(
        owner_client, "/contacts/new?tab=clients", data, page="/contacts", headers=HX
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "רותם שחר" in response.get_data(as_text=True)
    assert "toast" in response.headers["HX-Trigger"]
    with tenant_scope(studio.id):
        client = db.session.scalar(select(Client))
        assert (client.email, client.lead_stage, client.lead_source) == (
            "rotem@example.com",
            "new",
            "instagram",
        )


def test_create_errors_keep_input_and_write_nothing(owner_client, studio):
    data = {
        "name": "x",
        "type": "individual",
        "status": "active",
        "email": "not-an-email",
        "phone": "12",
        "preferred_communication": "phone",
        "city": "נתניה",
    }
    response = post_form(
        owner_client, "/contacts/new?tab=clients", data, page="/contacts", headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "כתובת האימייל אינה תקינה" in html and "מספר הטלפון אינו תקין" in html
    assert 'value="נתניה"' in html
    with tenant_scope(studio.id):
        assert db.session.scalar(select(func.count(Client.id))) == 0


def test_duplicate_warning_links_to_the_existing_contact(owner_client, studio):
    (cid,) = seed(studio, 1)
    live = owner_client.get("/contacts/duplicates?phone=%2B972-50-000-0000").get_data(as_text=True)
    assert f"/contacts/{cid}" in live and "אותו טלפון" in live
    data = {
        "name": "מישהו אחר",
        "type": "individual",
        "status": "active",
        "email": "C0@example.com",
        "preferred_communication": "phone",
    }
    response = post_form(
        owner_client, "/contacts/new?tab=clients", data, page="/contacts", headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f"/contacts/{cid}" in html and "ליצור בכל זאת" in html
    again = post_form(
        owner_client,
        "/contacts/new?tab=clients",
        data | {"allow_duplicate": "1"},
        page="/contacts",
        headers=HX,
    )
    assert again.status_code == 200
    with tenant_scope(studio.id):
        assert db.session.scalar(select(func.count(Client.id))) == 2


def test_create_supplier_and_professional_without_js_redirects(owner_client, studio):
    response = post_form(
        owner_client,
        "/contacts/new?tab=suppliers",
        {"name": "אור תאורה", "website": "www.or.co.il"},
        page="/contacts",
    )
    assert response.status_code == 302
    response = post_form(
        owner_client,
        "/contacts/new?tab=professionals",
        {"name": "דני חשמל", "trade_key": "electrician", "phone": "050-9999999"},
        page="/contacts",
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        assert db.session.scalar(select(Supplier.website)) == "https://www.or.co.il"
        assert db.session.scalar(select(Professional.trade_key)) == "electrician"


# ---- bulk actions and undo --------------------------------------------------------------------


def undo_token(response):
    return json.loads(response.headers["HX-Trigger"])["toast"]["undo"]["token"]


def test_bulk_label_three_rows_then_undo(owner_client, studio):
    ids = seed(studio, 4)
    with tenant_scope(studio.id):
        vip = labels.create_label(
            membership(studio), name="VIP", color="#FF0000", entity_types=["client"]
        )
        vip_id = vip.id
        db.session.commit()
    response = post_form(
        owner_client,
        "/contacts/bulk?tab=clients",
        {"ids": ids[:3], "action": f"label_add:{vip_id}"},
        page="/contacts",
        headers=HX,
    )
    assert response.status_code == 200
    assert (
        "התגית נוספה ל-3 רשומות" in json.loads(response.headers["HX-Trigger"])["toast"]["message"]
    )
    with tenant_scope(studio.id):
        assert sum(len(v) for v in labels.labels_for("client", ids).values()) == 3
    undo = post_form(
        owner_client,
        "/contacts/bulk/undo",
        {"token": undo_token(response)},
        page="/contacts",
        headers=HX,
    )
    assert "הפעולה בוטלה" in json.loads(undo.headers["HX-Trigger"])["toast"]["message"]
    with tenant_scope(studio.id):
        assert sum(len(v) for v in labels.labels_for("client", ids).values()) == 0


def test_bulk_status_and_archive_with_undo(owner_client, studio):
    ids = seed(studio, 3)
    response = post_form(
        owner_client,
        "/contacts/bulk?tab=clients",
        {"ids": ids[:2], "action": "status:past"},
        page="/contacts",
        headers=HX,
    )
    token = undo_token(response)
    with tenant_scope(studio.id):
        assert sorted(c.status for c in db.session.scalars(select(Client))) == [
            "active",
            "past",
            "past",
        ]
    post_form(owner_client, "/contacts/bulk/undo", {"token": token}, page="/contacts", headers=HX)
    with tenant_scope(studio.id):
        assert {c.status for c in db.session.scalars(select(Client))} == {"active"}
    archived = post_form(
        owner_client,
        "/contacts/bulk?tab=clients",
        {"ids": ids, "action": "archive"},
        page="/contacts",
        headers=HX,
    )
    assert (
        "3 רשומות הועברו לארכיון" in json.loads(archived.headers["HX-Trigger"])["toast"]["message"]
    )
    assert "עוד אין לקוחות" in page_text(owner_client, "/contacts")
    assert "לקוח מספר 00" in page_text(owner_client, "/contacts?archived=1")
    post_form(
        owner_client,
        "/contacts/bulk/undo",
        {"token": undo_token(archived)},
        page="/contacts",
        headers=HX,
    )
    assert "לקוח מספר 00" in page_text(owner_client, "/contacts")


def test_select_all_matching_applies_to_every_page(owner_client, studio):
    seed(studio, 30)
    post_form(
        owner_client,
        "/contacts/bulk?tab=clients&q=מספר",
        {"select_all": "1", "action": "status:inactive"},
        page="/contacts",
        headers=HX,
    )
    with tenant_scope(studio.id):
        assert (
            db.session.scalar(select(func.count(Client.id)).where(Client.status == "inactive"))
            == 30
        )


def test_undo_token_is_personal_and_expires(make_client, studio, monkeypatch):
    ids = seed(studio, 1)
    owner = signed_in(make_client, "owner@a.test")
    response = post_form(
        owner,
        "/contacts/bulk?tab=clients",
        {"ids": ids, "action": "status:past"},
        page="/contacts",
        headers=HX,
    )
    token = undo_token(response)
    manager = signed_in(make_client, "manager@a.test")
    refused = post_form(
        manager, "/contacts/bulk/undo", {"token": token}, page="/contacts", headers=HX
    )
    assert "מאוחר מדי" in json.loads(refused.headers["HX-Trigger"])["toast"]["message"]
    forged = post_form(
        owner, "/contacts/bulk/undo", {"token": token[:-2] + "xx"}, page="/contacts", headers=HX
    )
    assert "מאוחר מדי" in json.loads(forged.headers["HX-Trigger"])["toast"]["message"]
    with tenant_scope(studio.id):
        assert db.session.scalar(select(Client.status)) == "past"


def test_member_without_delete_flag_cannot_archive(make_client, studio):
    ids = seed(studio, 1)
    member = signed_in(make_client, "member@a.test")
    assert "העברה לארכיון" not in page_text(member, "/contacts")
    response = post_form(
        member,
        "/contacts/bulk?tab=clients",
        {"ids": ids, "action": "archive"},
        page="/contacts",
        headers=HX,
    )
    assert json.loads(response.headers["HX-Trigger"])["toast"]["level"] == "error"
    add_member(studio, "deleter@a.test", "member", can_delete_records=True)
    deleter = signed_in(make_client, "deleter@a.test")
    post_form(
        deleter,
        "/contacts/bulk?tab=clients",
        {"ids": ids, "action": "archive"},
        page="/contacts",
        headers=HX,
    )
    with tenant_scope(studio.id):
        assert db.session.scalar(select(Client.archived_at)) is not None


# ---- saved views ------------------------------------------------------------------------------


def test_saved_views_personal_and_shared(make_client, studio):
    owner = signed_in(make_client, "owner@a.test")
    response = post_form(
        owner,
        "/contacts/views?tab=clients",
        {
            "name": "חמים באינסטגרם",
            "query": "tab=clients&status=lead&lead_source=instagram&page=3",
        },
        page="/contacts",
    )
    assert (
        response.status_code == 302
        and "status=lead" in response.headers["Location"]
        and "page=3" not in response.headers["Location"]
    )
    post_form(
        owner,
        "/contacts/views?tab=clients",
        {"name": "לכולם", "query": "status=active", "shared": "1"},
        page="/contacts",
    )
    html = page_text(owner, "/contacts")
    assert "חמים באינסטגרם" in html and "לכולם" in html
    member = signed_in(make_client, "member@a.test")
    member_html = page_text(member, "/contacts")
    assert "לכולם" in member_html and "חמים באינסטגרם" not in member_html
    with tenant_scope(studio.id):
        shared = db.session.scalar(select(SavedView).where(SavedView.name == "לכולם"))
        shared_id = shared.id
    assert (
        post_form(
            member, f"/contacts/views/{shared_id}/delete?tab=clients", page="/contacts"
        ).status_code
        == 403
    )
    assert (
        post_form(
            owner, f"/contacts/views/{shared_id}/delete?tab=clients", page="/contacts"
        ).status_code
        == 302
    )
    bad = post_form(
        owner, "/contacts/views?tab=clients", {"name": "", "query": ""}, page="/contacts"
    )
    assert bad.status_code == 302
    with tenant_scope(studio.id):
        assert db.session.scalar(select(func.count(SavedView.id))) == 1
    stranger = signed_in(make_client, "owner@a.test")
    assert re.search("חמים באינסטגרם", page_text(stranger, "/contacts"))


def test_create_with_labels_attaches_them(owner_client, studio):
    with tenant_scope(studio.id):
        vip = labels.create_label(
            membership(studio), name="VIP", color="#FF0000", entity_types=["client"]
        )
        task_only = labels.create_label(
            membership(studio), name="משימות", color="#00FF00", entity_types=["task"]
        )
        vip_id, task_id = vip.id, task_only.id
        db.session.commit()
    form = owner_client.get("/contacts/new?tab=clients", headers=HX).get_data(as_text=True)
    assert "VIP" in form and "משימות" not in form
    data = {
        "name": "לקוחה מתויגת",
        "type": "individual",
        "status": "active",
        "email": "tag@example.com",
        "preferred_communication": "email",
        "label_ids": [str(vip_id), str(task_id)],
    }
    assert (
        post_form(
            owner_client, "/contacts/new?tab=clients", data, page="/contacts", headers=HX
        ).status_code
        == 200
    )
    with tenant_scope(studio.id):
        cid = db.session.scalar(select(Client.id))
        assert [label.name for label in labels.labels_for("client", [cid])[cid]] == ["VIP"]


def test_filter_by_lead_stage(owner_client, studio):
    with tenant_scope(studio.id):
        actor = membership(studio)
        make_contact(actor, name="ליד חדש", email="n@example.com", status="lead")
        met = make_contact(actor, name="ליד בפגישה", email="m@example.com", status="lead")
        from app.contacts import leads

        leads.move_to_stage(actor, met, "meeting")
        db.session.commit()
    html = page_text(owner_client, "/contacts?lead_stage=meeting")
    assert "ליד בפגישה" in html and "ליד חדש" not in html
