"""A contact's page (/contacts/<id>): details for each kind, the edit card (HTMX and plain),
commercial terms and the financial flags, the communication log, important dates, referrals,
the insurance highlight, archive / restore / delete; roles, two studios, and query counts."""

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.contacts import communication, important_dates
from app.contacts.models import Client, ClientImportantDate, CommunicationLog, Supplier
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels.models import Label
from tests.conftest import csrf_from, login, post_form
from tests.contacts.conftest import EMAILS, HX, ROLES, make_contact, membership


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, "owner@a.test")


def create(studio, kind="client", role="owner", **data):
    with tenant_scope(studio.id):
        contact = make_contact(membership(studio, role), kind, **data)
        db.session.commit()
        return contact.id


def load(studio, model, contact_id):
    with tenant_scope(studio.id):
        db.session.expire_all()
        return db.session.get(model, contact_id)


def page(client, contact_id, **kwargs):
    response = client.get(f"/contacts/{contact_id}", **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def hx_post(client, url, data=None, page_url=None):
    token = csrf_from(client, page_url or url.rsplit("/", 1)[0])
    return client.post(url, data=data or {}, headers={**HX, "X-CSRFToken": token})


def toast(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["toast"]["message"]


CLIENT_FORM = {
    "name": "דנה כהן",
    "type": "individual",
    "status": "active",
    "email": "dana@example.com",
    "phone": "",
    "mobile": "",
    "preferred_communication": "phone",
}


# ---- the page for each kind ---------------------------------------------------------------------


def test_client_page_shows_details_quick_actions_and_cards(owner_client, studio):
    contact_id = create(
        studio,
        phone="03-5551234",
        mobile="050-1234567",
        city="תל אביב",
        style_preferences="מודרני, סקנדינבי",
        satisfaction_rating="4",
    )
    html = page(owner_client, contact_id)
    assert "דנה כהן" in html and "dana@example.com" in html and "תל אביב" in html
    assert 'href="tel:050-1234567"' in html or 'href="tel:0501234567"' in html
    assert "https://wa.me/972501234567" in html and "https://wa.me/97235551234" not in html
    assert 'href="mailto:dana@example.com"' in html
    assert "מודרני" in html and "סקנדינבי" in html
    assert 'aria-label="4 מתוך 5"' in html
    for card in ("contact-header", "contact-details", "contact-client", "contact-dates"):
        assert f'id="{card}"' in html
    assert 'id="contact-timeline"' in html and 'id="contact-history"' in html
    assert f'data-realtime-topic="contact:{contact_id}"' in html
    assert f"labels-client-{contact_id}" in html  # the labels widget
    assert "פעיל" in html  # status badge


def test_supplier_and_professional_pages_show_their_fields(owner_client, studio):
    supplier_id = create(
        studio,
        "supplier",
        website="www.rahitim.co.il",
        discount_percent="12.5",
        credit_days="30",
        minimum_order="1500",
        has_trade_account="yes",
        rating="3",
    )
    html = page(owner_client, supplier_id)
    assert "ספק הרהיטים" in html and "https://www.rahitim.co.il" in html
    assert 'id="contact-terms"' in html and "12.5%" in html and "30 ימים" in html
    assert "1,500.00" in html and "₪" in html
    assert 'aria-label="3 מתוך 5"' in html
    assert 'id="contact-dates"' not in html and 'id="contact-client"' not in html

    professional_id = create(
        studio, "professional", license_number="LIC-778", company_name="חשמל בע״מ"
    )
    html = page(owner_client, professional_id)
    assert "יוסי החשמלאי" in html and "LIC-778" in html and "חשמל בע״מ" in html
    assert "חשמלאי" in html  # the trade's name
    assert "https://wa.me/972501111111" in html


def test_unknown_or_other_kind_routes_answer_404(owner_client, studio):
    supplier_id = create(studio, "supplier")
    assert owner_client.get("/contacts/00000000-0000-0000-0000-000000000000").status_code == 404
    response = post_form(
        owner_client,
        f"/contacts/{supplier_id}/dates",
        {"date": "2026-05-01", "description": "x"},
        page="/contacts",
    )
    assert response.status_code == 404


def test_htmx_part_returns_one_card(owner_client, studio):
    contact_id = create(studio)
    for part, root in (
        ("header", '<section id="contact-header"'),
        ("details", '<section id="contact-details"'),
        ("client", '<div id="contact-client"'),
        ("dates", '<div id="contact-dates-list"'),
        ("timeline", '<ol id="contact-timeline-list"'),
    ):
        html = owner_client.get(f"/contacts/{contact_id}?part={part}", headers=HX).get_data(
            as_text=True
        )
        assert html.lstrip().startswith(root) and "<html" not in html, part
    # Without HTMX a part is the whole page; a supplier part on a client is not found.
    assert "<html" in page(owner_client, contact_id, query_string={"part": "header"})
    assert owner_client.get(f"/contacts/{contact_id}?part=terms", headers=HX).status_code == 404


# ---- the edit card ------------------------------------------------------------------------------


def test_edit_card_htmx_valid_saves_and_returns_the_view(owner_client, studio):
    contact_id = create(studio)
    edit_url = f"/contacts/{contact_id}/edit"
    html = owner_client.get(edit_url, headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="contact-details"')
    assert 'value="dana@example.com"' in html and "<legend>קשר</legend>" in html
    assert 'type="tel"' in html and 'dir="ltr"' in html and 'type="date"' in html
    data = CLIENT_FORM | {
        "name": "דנה לוי",
        "status": "past",
        "mobile": "052-7654321",
        "style_preferences": "כפרי, מינימליסטי",
        "satisfaction_rating": "5",
        "would_recommend": "yes",
        "testimonial": "עבודה מדויקת ונעימה.",
        "anniversary_date": "2015-06-20",
    }
    response = hx_post(owner_client, edit_url, data, page_url=f"/contacts/{contact_id}")
    assert response.status_code == 200 and toast(response) == "הפרטים נשמרו."
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="contact-details"') and "דנה לוי" in html
    assert 'id="contact-header"' in html and 'hx-swap-oob="true"' in html  # header follows
    assert "עבודה מדויקת ונעימה." in html  # the evaluation card, out of band
    client = load(studio, Client, contact_id)
    assert (client.name, client.status, client.mobile_digits) == ("דנה לוי", "past", "0527654321")
    assert client.style_preferences == ["כפרי", "מינימליסטי"]
    assert client.would_recommend is True and client.anniversary_date == date(2015, 6, 20)
    # The testimonial leads the page of a past client.
    assert "testimonial--prominent" in page(owner_client, contact_id)


def test_edit_invalid_answers_422_with_messages_keeps_input_and_saves_nothing(owner_client, studio):
    from app.custom_fields import services as custom_fields

    with tenant_scope(studio.id):
        custom_fields.create_definition(
            membership(studio),
            "client",
            {"name": "קומה", "field_key": "floor", "field_type": "number", "is_active": True},
        )
        db.session.commit()
    contact_id = create(studio)
    edit_url = f"/contacts/{contact_id}/edit"
    data = CLIENT_FORM | {"name": "רונית", "email": "not-an-email", "city": "חיפה", "cf-floor": "3"}
    response = hx_post(owner_client, edit_url, data, page_url=f"/contacts/{contact_id}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "כתובת האימייל אינה תקינה" in html and 'value="not-an-email"' in html
    assert 'value="רונית"' in html and 'value="חיפה"' in html and 'aria-invalid="true"' in html
    # A bad custom field alone also saves nothing (neither the contact nor the field).
    data = CLIENT_FORM | {"city": "חיפה", "cf-floor": "שלישית"}
    response = hx_post(owner_client, edit_url, data, page_url=f"/contacts/{contact_id}")
    assert response.status_code == 422 and "יש להזין מספר" in response.get_data(as_text=True)
    client = load(studio, Client, contact_id)
    assert (client.name, client.email, client.city) == ("דנה כהן", "dana@example.com", None)
    # Without JavaScript: the whole page at 422, then a redirect once valid.
    response = post_form(owner_client, edit_url, CLIENT_FORM | {"name": ""}, page=edit_url)
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert "שדה חובה." in response.get_data(as_text=True)
    response = post_form(
        owner_client, edit_url, CLIENT_FORM | {"city": "חיפה", "cf-floor": "3"}, page=edit_url
    )
    assert response.status_code == 302
    assert load(studio, Client, contact_id).city == "חיפה"
    html = page(owner_client, contact_id)
    assert "קומה" in html and "חיפה" in html  # the custom field in the details card


def test_full_page_edit_mode_without_javascript(owner_client, studio):
    contact_id = create(studio, "professional", insurance_expiry="2030-01-31")
    html = page(owner_client, f"{contact_id}/edit")
    assert "<html" in html and 'action="/contacts/' in html and 'value="2030-01-31"' in html
    assert "יוסי החשמלאי" in html and 'id="contact-timeline"' in html


# ---- commercial terms and the financial flags ---------------------------------------------------


SUPPLIER_FORM = {"name": "ספק הרהיטים", "category_key": "", "email": "", "phone": ""}


def test_commercial_terms_follow_the_financial_flags(make_client, studio):
    supplier_id = create(studio, "supplier", discount_percent="10", trade_account_number="TA-55")
    member = signed_in(make_client, EMAILS["member"])
    html = page(member, supplier_id)
    assert 'id="contact-terms"' not in html and "TA-55" not in html and "10%" not in html
    assert member.get(f"/contacts/{supplier_id}?part=terms", headers=HX).status_code == 403
    edit_html = member.get(f"/contacts/{supplier_id}/edit", headers=HX).get_data(as_text=True)
    assert 'name="discount_percent"' not in edit_html and "תנאים מסחריים" not in edit_html
    edit_url = f"/contacts/{supplier_id}/edit"
    response = hx_post(
        member, edit_url, SUPPLIER_FORM | {"discount_percent": "50"}, f"/contacts/{supplier_id}"
    )
    assert response.status_code == 403
    assert load(studio, Supplier, supplier_id).discount_percent == 10

    manager = signed_in(make_client, EMAILS["manager"])  # may view, not edit
    html = page(manager, supplier_id)
    assert 'id="contact-terms"' in html and "TA-55" in html
    edit_html = manager.get(edit_url, headers=HX).get_data(as_text=True)
    assert 'name="discount_percent"' not in edit_html
    response = hx_post(
        manager, edit_url, SUPPLIER_FORM | {"discount_percent": "50"}, f"/contacts/{supplier_id}"
    )
    assert response.status_code == 403
    # Saving the other fields leaves the terms alone.
    response = hx_post(
        manager, edit_url, SUPPLIER_FORM | {"city": "אילת"}, f"/contacts/{supplier_id}"
    )
    assert response.status_code == 200
    supplier = load(studio, Supplier, supplier_id)
    assert supplier.city == "אילת" and supplier.discount_percent == 10

    owner = signed_in(make_client, EMAILS["owner"])
    response = hx_post(
        owner,
        edit_url,
        SUPPLIER_FORM | {"discount_percent": "15", "minimum_order": "2,000", "credit_days": "45"},
        f"/contacts/{supplier_id}",
    )
    assert response.status_code == 200 and 'id="contact-terms"' in response.get_data(as_text=True)
    supplier = load(studio, Supplier, supplier_id)
    assert (supplier.discount_percent, supplier.minimum_order, supplier.credit_days) == (
        15,
        2000,
        45,
    )


# ---- the communication log ----------------------------------------------------------------------


def log_entries(studio, contact_id):
    with tenant_scope(studio.id):
        return list(
            db.session.scalars(
                select(CommunicationLog)
                .where(CommunicationLog.entity_id == contact_id)
                .order_by(CommunicationLog.date.desc())
            )
        )


def test_log_a_call_with_htmx_and_show_it_newest_first(owner_client, studio):
    contact_id = create(studio)
    url = f"/contacts/{contact_id}/log"
    page_url = f"/contacts/{contact_id}"
    response = hx_post(
        owner_client,
        url,
        {
            "log-type": "phone",
            "log-direction": "incoming",
            "log-subject": "תיאום",
            "log-content": "ביקשה הצעה",
        },
        page_url,
    )
    assert response.status_code == 200 and toast(response) == "נרשם ביומן התקשורת."
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="contact-timeline"')
    assert "ביקשה הצעה" in html and "נכנס" in html and "נועה לוי" in html  # author
    assert 'name="log-content"' in html and "ביקשה הצעה</textarea>" not in html  # a fresh form
    response = hx_post(
        owner_client,
        url,
        {
            "log-type": "whatsapp",
            "log-direction": "outgoing",
            "log-content": "שלחתי תמונות",
            "log-date": "",
        },
        page_url,
    )
    assert response.status_code == 200
    # An older meeting, dated by hand in the studio's time (Asia/Jerusalem, UTC+3 in summer).
    response = post_form(
        owner_client,
        url,
        {
            "log-type": "meeting",
            "log-direction": "outgoing",
            "log-content": "פגישה בסטודיו",
            "log-date": "2024-07-01T10:30",
        },
        page=page_url,
    )
    assert response.status_code == 302 and response.location.endswith("#contact-timeline")
    entries = log_entries(studio, contact_id)
    assert [e.type for e in entries] == ["whatsapp", "phone", "meeting"]
    assert entries[-1].date.replace(tzinfo=None).hour == 7  # stored in UTC
    html = page(owner_client, contact_id)
    assert html.index("שלחתי תמונות") < html.index("ביקשה הצעה") < html.index("פגישה בסטודיו")
    assert "01/07/2024 10:30" in html  # shown back in the studio's time


def test_log_invalid_answers_422_and_keeps_what_was_typed(owner_client, studio):
    contact_id = create(studio)
    url = f"/contacts/{contact_id}/log"
    response = hx_post(
        owner_client,
        url,
        {
            "log-type": "email",
            "log-direction": "outgoing",
            "log-subject": "הצעת מחיר",
            "log-content": "  ",
        },
        f"/contacts/{contact_id}",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "כתבו מה נאמר או נעשה." in html and 'value="הצעת מחיר"' in html
    response = hx_post(
        owner_client,
        url,
        {"log-type": "note", "log-direction": "outgoing", "log-content": "x", "log-date": "אתמול"},
        f"/contacts/{contact_id}",
    )
    assert response.status_code == 422 and "המועד אינו תקין" in response.get_data(as_text=True)
    response = post_form(
        owner_client,
        url,
        {"log-type": "fax", "log-direction": "outgoing", "log-content": "x"},
        page=f"/contacts/{contact_id}",
    )
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert log_entries(studio, contact_id) == []


def test_load_more_pages_through_older_entries(owner_client, studio):
    from datetime import UTC, datetime

    contact_id = create(studio)
    with tenant_scope(studio.id):
        actor, contact = membership(studio), db.session.get(Client, contact_id)
        start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
        for i in range(communication.PAGE_SIZE + 5):
            communication.log_communication(
                actor,
                contact,
                type="note",
                direction="outgoing",
                content=f"רשומה {i:02d}",
                date=start + timedelta(hours=i),
            )
        db.session.commit()
    html = page(owner_client, contact_id)
    last = communication.PAGE_SIZE + 4
    assert f"רשומה {last:02d}" in html and "רשומה 05" in html and "רשומה 04" not in html
    assert "part=more" in html and "טעינת רשומות קודמות" in html
    more = re.search(r'hx-get="([^"]*part=more[^"]*)"', html).group(1).replace("&amp;", "&")
    rest = owner_client.get(more, headers=HX).get_data(as_text=True)
    assert "רשומה 04" in rest and "רשומה 00" in rest and "רשומה 05" not in rest
    assert "part=more" not in rest and rest.lstrip().startswith("<li")
    # Without JavaScript the link opens the page at the older entries.
    plain = re.search(r'href="([^"]*before=[^"#]*)', html).group(1).replace("&amp;", "&")
    assert "רשומה 00" in page(owner_client, plain.split("/contacts/", 1)[1])
    assert (
        owner_client.get(f"/contacts/{contact_id}?part=more&before=nope", headers=HX).status_code
        == 400
    )


def test_delete_own_entries_only_unless_allowed_to_delete(make_client, studio):
    contact_id = create(studio)
    with tenant_scope(studio.id):
        contact = db.session.get(Client, contact_id)
        mine = communication.log_communication(
            membership(studio, "member"), contact, type="note", direction="outgoing", content="שלי"
        )
        owners = communication.log_communication(
            membership(studio), contact, type="note", direction="outgoing", content="של הבעלים"
        )
        mine_id, owners_id = mine.id, owners.id
        db.session.commit()
    member = signed_in(make_client, EMAILS["member"])
    html = page(member, contact_id)
    assert f"/log/{mine_id}/delete" in html and f"/log/{owners_id}/delete" not in html
    page_url = f"/contacts/{contact_id}"
    response = hx_post(member, f"/contacts/{contact_id}/log/{owners_id}/delete", page_url=page_url)
    assert response.status_code == 403
    response = hx_post(member, f"/contacts/{contact_id}/log/{mine_id}/delete", page_url=page_url)
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    assert toast(response) == "הרשומה נמחקה."
    assert [e.id for e in log_entries(studio, contact_id)] == [owners_id]
    # The owner may delete anyone's; an entry of another contact is not found.
    other_id = create(studio, name="אחר", email="other@example.com")
    owner = signed_in(make_client, EMAILS["owner"])
    assert (
        hx_post(
            owner, f"/contacts/{other_id}/log/{owners_id}/delete", page_url=page_url
        ).status_code
        == 404
    )
    assert (
        hx_post(
            owner, f"/contacts/{contact_id}/log/{owners_id}/delete", page_url=page_url
        ).status_code
        == 200
    )
    assert log_entries(studio, contact_id) == []


# ---- important dates, referrals, insurance ------------------------------------------------------


def test_important_dates_add_and_remove_with_history(owner_client, studio):
    contact_id = create(studio, anniversary_date="2012-09-14")
    url = f"/contacts/{contact_id}/dates"
    page_url = f"/contacts/{contact_id}"
    response = hx_post(
        owner_client, url, {"important-date": "", "important-description": ""}, page_url
    )
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("שדה חובה.") == 2
    response = hx_post(
        owner_client,
        url,
        {
            "important-date": "2026-03-10",
            "important-description": "יום הולדת",
            "important-reminder": "y",
        },
        page_url,
    )
    assert response.status_code == 200 and toast(response) == "התאריך נוסף."
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="contact-dates"')
    assert "יום הולדת" in html and "תזכורת" in html and "14/09/2012" in html
    response = post_form(
        owner_client,
        url,
        {"important-date": "01/12/2026", "important-description": "כניסה לדירה"},
        page=page_url,
    )
    assert response.status_code == 302
    with tenant_scope(studio.id):
        items = important_dates.dates_for(db.session.get(Client, contact_id))
        assert [(i.description, i.reminder) for i in items] == [
            ("יום הולדת", True),
            ("כניסה לדירה", False),
        ]
        birthday_id = items[0].id
    response = hx_post(owner_client, f"{url}/{birthday_id}/delete", page_url=page_url)
    assert response.status_code == 200 and "יום הולדת" not in response.get_data(as_text=True)
    with tenant_scope(studio.id):
        assert db.session.scalar(select(func.count(ClientImportantDate.id))) == 1
    history = page(owner_client, contact_id)
    assert "תאריכים חשובים" in history and "10/03/2026 · יום הולדת" in history


def test_referral_chain_links_both_ways(owner_client, studio):
    referrer_id = create(studio, name="מיכל ברק", email="michal@example.com")
    first_id = create(
        studio, name="אבי", email="avi@example.com", referred_by_client_id=str(referrer_id)
    )
    second_id = create(studio, name="בתיה", email="batya@example.com")
    edit_url = f"/contacts/{second_id}/edit"
    html = owner_client.get(edit_url, headers=HX).get_data(as_text=True)
    assert f'<option value="{referrer_id}">מיכל ברק</option>' in html
    assert f'value="{second_id}"' not in html  # not herself
    data = CLIENT_FORM | {
        "name": "בתיה",
        "email": "batya@example.com",
        "referred_by_client_id": str(referrer_id),
    }
    assert hx_post(owner_client, edit_url, data, f"/contacts/{second_id}").status_code == 200
    html = page(owner_client, referrer_id)
    assert f'href="/contacts/{first_id}"' in html and f'href="/contacts/{second_id}"' in html
    html = page(owner_client, first_id)
    assert f'href="/contacts/{referrer_id}"' in html and "מיכל ברק" in html
    response = hx_post(
        owner_client,
        edit_url,
        data | {"referred_by_client_id": str(second_id)},
        f"/contacts/{second_id}",
    )
    assert response.status_code == 422 and "לקוח לא יכול להפנות את עצמו." in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("days", "badge"),
    [(-3, "פג תוקף"), (0, "פג היום"), (1, "פג בעוד יום אחד"), (12, "פג בעוד 12 ימים"), (45, None)],
)
def test_insurance_expiry_is_highlighted(owner_client, studio, days, badge):
    expiry = date.today() + timedelta(days=days)
    contact_id = create(studio, "professional", insurance_expiry=expiry.isoformat())
    html = page(owner_client, contact_id)
    assert expiry.strftime("%d/%m/%Y") in html
    for text in ("פג תוקף", "פג היום", "פג בעוד"):
        assert (text in html) == (badge is not None and badge.startswith(text))
    if badge:
        assert badge in html


# ---- labels -------------------------------------------------------------------------------------


def test_labels_widget_attaches_to_each_kind(owner_client, studio):
    with tenant_scope(studio.id):
        label = Label(
            name="VIP", color="#FF0000", entity_types=["client", "supplier", "professional"]
        )
        db.session.add(label)
        db.session.commit()
        label_id = label.id
    for kind in ("client", "supplier", "professional"):
        contact_id = create(studio, kind, name=f"איש קשר {kind}", email=f"{kind}@example.com")
        response = hx_post(
            owner_client,
            f"/labels/{kind}/{contact_id}/attach",
            {"label_id": str(label_id)},
            f"/contacts/{contact_id}",
        )
        assert response.status_code == 200 and "VIP" in response.get_data(as_text=True)
        assert "VIP" in page(owner_client, contact_id)


# ---- archive, restore, delete -------------------------------------------------------------------


def test_archive_restore_and_delete_permanently(make_client, studio):
    contact_id = create(studio)
    page_url = f"/contacts/{contact_id}"
    member = signed_in(make_client, EMAILS["member"])
    html = page(member, contact_id)
    assert "/archive" not in html and "/delete" not in html.replace("/log/", "")
    assert post_form(member, f"{page_url}/archive", page=page_url).status_code == 403

    manager = signed_in(make_client, EMAILS["manager"])
    assert f"{page_url}/archive" in page(manager, contact_id)
    response = post_form(manager, f"{page_url}/archive", page=page_url)
    assert response.status_code == 302 and response.location.endswith(page_url)
    assert load(studio, Client, contact_id).is_archived
    html = page(manager, contact_id)
    assert "בארכיון" in html and f"{page_url}/restore" in html
    assert f"{page_url}/delete" not in html  # managers hold no delete flag by default
    assert (
        post_form(manager, f"{page_url}/delete", {"confirm_text": "מחק"}, page=page_url).status_code
        == 403
    )

    owner = signed_in(make_client, EMAILS["owner"])
    html = page(owner, contact_id)
    assert f"{page_url}/delete" in html and 'data-confirm-type="מחק"' in html
    response = post_form(owner, f"{page_url}/delete", {"confirm_text": "לא"}, page=page_url)
    assert response.status_code == 302 and load(studio, Client, contact_id) is not None
    response = post_form(owner, f"{page_url}/restore", page=page_url)
    assert response.status_code == 302 and not load(studio, Client, contact_id).is_archived
    # Only an archived contact can be deleted.
    response = post_form(owner, f"{page_url}/delete", {"confirm_text": "מחק"}, page=page_url)
    assert response.status_code == 302 and load(studio, Client, contact_id) is not None
    post_form(owner, f"{page_url}/archive", page=page_url)
    response = post_form(owner, f"{page_url}/delete", {"confirm_text": "מחק"}, page=page_url)
    assert response.status_code == 302 and "tab=clients" in response.location
    assert load(studio, Client, contact_id) is None
    assert owner.get(page_url).status_code == 404


# ---- every route: roles and studios -------------------------------------------------------------


def seed_for_routes(studio):
    """A client with an entry in the log (by the owner) and an important date."""
    with tenant_scope(studio.id):
        owner = membership(studio)
        contact = make_contact(owner, "client")
        entry = communication.log_communication(
            owner, contact, type="note", direction="outgoing", content="הערה"
        )
        item = important_dates.add_important_date(
            owner, contact, date="2026-01-01", description="יום הולדת"
        )
        db.session.commit()
        return contact.id, entry.id, item.id


def routes(contact_id, entry_id, date_id):
    """(method, url, data) for every route of the page, in an order that keeps them valid."""
    base = f"/contacts/{contact_id}"
    return [
        ("get", base, None),
        ("get", f"{base}?part=details", None),
        ("get", f"{base}/edit", None),
        ("post", f"{base}/edit", CLIENT_FORM | {"city": "עכו"}),
        (
            "post",
            f"{base}/log",
            {"log-type": "phone", "log-direction": "outgoing", "log-content": "שיחה"},
        ),
        ("post", f"{base}/log/{entry_id}/delete", {}),
        (
            "post",
            f"{base}/dates",
            {"important-date": "2026-02-02", "important-description": "אירוע"},
        ),
        ("post", f"{base}/dates/{date_id}/delete", {}),
        ("post", f"{base}/archive", {}),
        ("post", f"{base}/restore", {}),
        ("post", f"{base}/delete", {"confirm_text": "מחק"}),
    ]


# What each role gets, by route (same order as routes()); the owner's delete needs the archive,
# which the restore just undid, so it answers with a redirect and the contact stays.
EXPECTED = {
    "owner": [200, 200, 200, 302, 302, 302, 302, 302, 302, 302, 302],
    "manager": [200, 200, 200, 302, 302, 403, 302, 302, 302, 302, 403],
    "member": [200, 200, 200, 302, 302, 403, 302, 302, 403, 403, 403],
}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_every_route(make_client, studio, role):
    contact_id, entry_id, date_id = seed_for_routes(studio)
    client = signed_in(make_client, EMAILS[role])
    page_url = f"/contacts/{contact_id}"
    got = []
    for method, url, data in routes(contact_id, entry_id, date_id):
        if method == "get":
            got.append(client.get(url).status_code)
        else:
            got.append(post_form(client, url, data, page=page_url).status_code)
    assert got == EXPECTED[role]


def test_another_studios_contact_is_not_found_on_every_route(make_client, studio, other_studio):
    contact_id, entry_id, date_id = seed_for_routes(studio)
    stranger = signed_in(make_client, "owner@b.test")
    for method, url, data in routes(contact_id, entry_id, date_id):
        if method == "get":
            assert stranger.get(url).status_code == 404, url
            assert stranger.get(url, headers=HX).status_code == 404, url
        else:
            assert post_form(stranger, url, data, page="/contacts").status_code == 404, url
    for kind in ("client", "supplier", "professional"):
        assert stranger.get(f"/labels/{kind}/{contact_id}").status_code == 404
    # Nothing changed in the first studio.
    client = load(studio, Client, contact_id)
    assert client is not None and client.city is None and not client.is_archived
    assert len(log_entries(studio, contact_id)) == 1
    # And an entry or a date of studio A is not found under a contact of studio B.
    with tenant_scope(other_studio.id):
        theirs = make_contact(membership(other_studio), "client").id
        db.session.commit()
    page_url = f"/contacts/{theirs}"
    assert (
        post_form(stranger, f"{page_url}/log/{entry_id}/delete", page=page_url).status_code == 404
    )
    assert (
        post_form(stranger, f"{page_url}/dates/{date_id}/delete", page=page_url).status_code == 404
    )


def test_signed_out_visitors_are_sent_to_login(client, studio):
    contact_id, _entry_id, _date_id = seed_for_routes(studio)
    response = client.get(f"/contacts/{contact_id}")
    assert response.status_code == 302 and "/login" in response.location


# ---- query counts -------------------------------------------------------------------------------


def test_page_queries_do_not_grow_with_entries_or_referred_clients(
    owner_client, studio, count_queries
):
    def seed(entries, referred, suffix):
        with tenant_scope(studio.id):
            owner = membership(studio)
            member = membership(studio, "member")
            contact = make_contact(owner, name=f"מפנה {suffix}", email=f"ref{suffix}@example.com")
            for i in range(entries):
                communication.log_communication(
                    owner if i % 2 else member,
                    contact,
                    type="phone",
                    direction="outgoing",
                    content=f"שיחה {i}",
                )
            for i in range(referred):
                make_contact(
                    owner,
                    name=f"מופנה {suffix} {i}",
                    email=f"r{suffix}{i}@example.com",
                    referred_by_client_id=str(contact.id),
                )
            important_dates.add_important_date(
                owner, contact, date="2026-01-01", description="יום הולדת"
            )
            db.session.commit()
            return contact.id

    small, large = seed(2, 1, "a"), seed(15, 8, "b")
    page(owner_client, small)  # warm-up: the first request loads per-process caches
    with count_queries() as few:
        page(owner_client, small)
    with count_queries() as many:
        html = page(owner_client, large)
    assert "שיחה 14" in html and "מופנה b 7" in html
    assert many.count == few.count, many.statements[few.count :]
    assert few.count <= 25, few.statements
