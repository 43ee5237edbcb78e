"""Screenshots of the contacts module for a person to look at (test-results/screenshots), at a
phone's and a desktop's width: the list's three tabs, the create panel, the bulk bar, the leads
board, a client's and a supplier's page, and every step of the CSV import. Each shot first
checks that the page shows what it should, so a broken page fails here rather than in a picture."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.contacts import communication, leads, services
from app.core.db import utcnow
from app.extensions import db
from app.labels import services as labels
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import CONTACTS_OWNER as OWNER
from tests.browser.pages import open_import, seed_contacts, sign_in, snap, wait_for_animations

pytestmark = pytest.mark.browser

CLIENTS = (
    ("אורית ורון גרינברג", "orit.greenberg.family@example.com", "052-3418876", "active"),
    ('מרכז יוגה "שאנטי" בע"מ', "office.shanti@example.com", "052-8830017", "past"),
    ("רחל ישראלי", "rachel@example.com", "054-3349021", "inactive"),
)
# name, stage, lead source, score
LEADS = (
    ("שירה אברהם", "new", "instagram", 45),
    ("עומר ביטון", "new", "facebook", 30),
    ("אלון פרידמן", "contacted", "google", 55),
    ("נדב רוזן", "meeting", "exhibition", 75),
    ("רוני וקרן שלום", "proposal_sent", "website", 85),
    ("ליאור חדד", "won", "referral", 90),
    ("מורן שטרן", "lost", "referral", 20),
)
IMPORT_CSV = (
    "שם,אימייל,טלפון,עיר\n"
    "נועה ברק,noa@example.com,050-1112222,חיפה\n"
    "יואב כץ,not-an-email,052-3334444,אילת\n"
    "ליה שמש,lia@example.com,054-5556666,עכו\n"
)


def a_full_address_book(actor, contacts):
    vip = labels.all_labels()[0]
    recommends = labels.create_label(actor, name="ממליץ", color="#22C55E", entity_types=["client"])
    for index, (name, stage, source, score) in enumerate(LEADS):
        lead = services.create_contact(
            actor,
            "client",
            {
                "name": name,
                "type": "individual",
                "status": "lead",
                "email": f"lead{index}@example.com",
                "mobile": f"050-44{index:05d}",
                "preferred_communication": "whatsapp",
                "lead_source": source,
                "lead_score": str(score),
            },
        )
        db.session.flush()
        if stage != "new":
            reason = "בחרו מעצב אחר" if stage == "lost" else None
            leads.move_to_stage(actor, lead, stage, lost_reason=reason)
        contacts[name] = lead
    first = contacts["אורית ורון גרינברג"]
    for label in (vip, recommends):
        labels.attach_label(actor, label, "client", first.id, first.name)
    labels.attach_label(actor, vip, "client", contacts["שירה אברהם"].id, "שירה אברהם")
    for days, kind, content in (
        (6, "meeting", "פגישת היכרות בסטודיו: סלון ומטבח, סגנון סקנדינבי."),
        (2, "whatsapp", "שלחה תמונות של הדירה ומידות החלונות."),
        (0, "phone", "דיברנו על לוח הזמנים; הצעת מחיר עד יום חמישי."),
    ):
        communication.log_communication(
            actor,
            first,
            type=kind,
            direction="incoming" if kind == "whatsapp" else "outgoing",
            content=content,
            date=utcnow() - timedelta(days=days, minutes=5),
        )
    contacts["ספק הרהיטים"] = services.create_contact(
        actor,
        "supplier",
        {
            "name": "ספק הרהיטים",
            "category_key": "furniture",
            "contact_person": "משה דוד",
            "phone": "03-1234567",
            "email": "sales@rahitim.example.com",
            "city": "ראשון לציון",
            "discount_percent": "12.5",
            "rating": "4",
        },
    )
    services.create_contact(
        actor, "supplier", {"name": "אור ותאורה", "category_key": "lighting", "rating": "5"}
    )
    for name, trade, expiry in (
        ("יוסי החשמלאי", "electrician", date.today() + timedelta(days=12)),
        ("נגריית העמק", "carpenter", date.today() - timedelta(days=3)),
        ("אבי שיפוצים", "contractor", date.today() + timedelta(days=200)),
    ):
        services.create_contact(
            actor,
            "professional",
            {
                "name": name,
                "trade_key": trade,
                "phone": "050-1111111",
                "license_number": "LIC-778",
                "insurance_expiry": expiry.isoformat(),
                "rating": "4",
            },
        )
    db.session.flush()


def test_screenshots_of_the_contacts_module(context, seed, tmp_path):
    ids = seed_contacts(seed, CLIENTS, then=a_full_address_book)
    csv_file = tmp_path / "לקוחות.csv"
    csv_file.write_text(IMPORT_CSV, encoding="utf-8")

    for viewport in (DESKTOP, PHONE):
        page = context(viewport=viewport).new_page()
        sign_in(page, OWNER)

        # The list, each tab.
        for tab, first_row in (
            ("clients", "אורית ורון גרינברג"),
            ("suppliers", "ספק הרהיטים"),
            ("professionals", "יוסי החשמלאי"),
        ):
            page.goto(f"/contacts?tab={tab}")
            expect(page.locator("#contacts-list")).to_contain_text(first_row)
            snap(page, f"contacts-list-{tab}")

        # The create panel, open.
        page.goto("/contacts")
        page.locator("#new-contact-button").click()
        expect(page.locator("#contact-create-form")).to_be_visible()
        wait_for_animations(page)
        snap(page, "contacts-panel", full_page=False)
        page.locator("#contact-panel").get_by_role("button", name="סגירה").click()
        expect(page.locator("#contact-panel")).to_be_hidden()

        # The bulk bar, with two rows chosen.
        page.get_by_label("בחירת רחל ישראלי").check()
        page.get_by_label("בחירת שירה אברהם").check()
        expect(page.locator("[data-bulk-bar]")).to_be_visible()
        wait_for_animations(page)
        snap(page, "contacts-bulk-bar", full_page=False)

        # The leads board.
        page.goto("/contacts/leads")
        for name, stage, _source, _score in LEADS:
            expect(page.locator(f".lead-column__cards[data-stage={stage}]")).to_contain_text(name)
        snap(page, "contacts-leads-board")

        # A client's page and a supplier's.
        page.goto(f"/contacts/{ids['אורית ורון גרינברג']}")
        expect(page.locator("#contact-timeline-list .timeline__item")).to_have_count(3)
        snap(page, "contacts-page-client")
        page.goto(f"/contacts/{ids['ספק הרהיטים']}")
        expect(page.locator("#contact-header")).to_contain_text("ספק הרהיטים")
        snap(page, "contacts-page-supplier")

        # Every import step (the second time the rows are duplicates of the first import).
        open_import(page)
        snap(page, "contacts-import-1-upload")
        page.get_by_label("קובץ CSV").set_input_files(str(csv_file))
        page.get_by_role("button", name="העלאה והמשך").click()
        expect(page.locator("#import-columns")).to_be_visible()
        snap(page, "contacts-import-2-mapping")
        page.get_by_role("button", name="המשך לבדיקת השורות").click()
        expect(page.locator("#import-errors")).to_contain_text("שורה 3")
        snap(page, "contacts-import-3-preview")
        page.locator("#import-confirm").get_by_role("button", name="ייבוא").click()
        expect(page.locator("#import-result")).to_be_visible()
        snap(page, "contacts-import-4-done")
        page.close()
