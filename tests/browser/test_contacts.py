"""The contacts list and a contact's page in the browser: the create panel with its duplicate
warning, inline editing of a cell (mouse and keyboard), bulk labels with undo and bulk archive,
and the page's quick communication log. The leads board and the CSV import have their own files
(test_contacts_leads.py, test_contacts_import.py); test_contacts_screens.py takes screenshots."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.contacts import communication
from app.core.db import utcnow
from tests.browser.pages import CONTACTS_OWNER as OWNER
from tests.browser.pages import seed_contacts, sign_in

pytestmark = pytest.mark.browser

# name, e-mail, mobile, status
CLIENTS = (
    ("דנה כהן", "dana@example.com", "050-1234567", "active"),
    ("אבי לוי", "avi@example.com", "052-7654321", "active"),
    ("רותם גל", "rotem@example.com", "054-1112233", "active"),
    ("שירה אברהם", "shira@example.com", "053-4419087", "lead"),
)


def row(page: Page, contact_id: str):
    return page.locator(f"#row-{contact_id}")


def toasts(page: Page):
    return page.locator("#toasts")


# ---------------------------------------------------------------------------------------------
# 1. The create panel
# ---------------------------------------------------------------------------------------------


def test_create_a_client_in_the_panel_then_get_warned_about_the_same_email(page, seed):
    seed_contacts(seed, CLIENTS)
    sign_in(page, OWNER)
    page.goto("/contacts")
    expect(page.locator(".contacts-list__summary")).to_have_text("נמצאו 4 רשומות")
    page.evaluate("window.__notReloaded = true")

    page.locator("#new-contact-button").click()
    panel = page.locator("#contact-panel")
    expect(panel).to_be_visible()
    form = panel.locator("#contact-create-form")
    form.get_by_role("textbox", name="שם", exact=True).fill("מיכל ברק")
    form.get_by_label("אימייל").fill("michal@example.com")
    form.get_by_role("textbox", name="טלפון", exact=True).fill("03-5551234")
    form.get_by_label("סטטוס").select_option(label="פעיל")
    form.get_by_role("button", name="שמירה").click()

    done = panel.get_by_role("link", name="לדף איש הקשר")
    expect(done).to_be_visible()
    expect(toasts(page)).to_contain_text("מיכל ברק נוסף/ה לאנשי הקשר.")
    first_url = done.get_attribute("href")
    # The list behind the panel has the new client, without a reload.
    new_row = page.locator("#contacts-list tbody tr", has_text="מיכל ברק")
    expect(new_row.locator("td[data-label='סטטוס']")).to_have_text("פעיל")
    expect(page.locator(".contacts-list__summary")).to_have_text("נמצאו 5 רשומות")
    assert page.evaluate("window.__notReloaded") is True

    # Another one with the same e-mail: warned while typing, with a link to the first.
    panel.get_by_role("button", name="הוספת עוד אחד").click()
    form = panel.locator("#contact-create-form")
    form.get_by_role("textbox", name="שם", exact=True).fill("מיכל ב.")
    form.get_by_label("אימייל").fill("michal@example.com")
    form.get_by_label("אימייל").press("Tab")
    warning = form.locator("#duplicate-check")
    expect(warning).to_contain_text("ייתכן שאיש הקשר כבר קיים:")
    expect(warning.get_by_role("link", name="מיכל ברק")).to_have_attribute("href", first_url)
    expect(warning).to_contain_text("אותו אימייל")

    # Saving anyway is stopped once more, with the same link and a way to go on.
    form.get_by_role("button", name="שמירה").click()
    alert = panel.locator(".alert", has_text="ייתכן שאיש הקשר כבר קיים")
    expect(alert.get_by_role("link", name="מיכל ברק")).to_have_attribute("href", first_url)
    expect(alert.get_by_label("זה איש קשר אחר: ליצור בכל זאת")).to_be_visible()
    expect(page.locator(".contacts-list__summary")).to_have_text("נמצאו 5 רשומות")


# ---------------------------------------------------------------------------------------------
# 2. Inline editing of a cell
# ---------------------------------------------------------------------------------------------


def test_inline_edit_a_mobile_number(page, seed):
    ids = seed_contacts(seed, CLIENTS)
    dana = ids["דנה כהן"]
    sign_in(page, OWNER)
    page.goto("/contacts")
    cell = page.locator(f"#cell-{dana}-mobile")
    view = cell.get_by_role("button", name="עריכת נייד של דנה כהן")
    expect(view).to_contain_text("050-1234567")

    # A wrong value: the reason, and the old value back in the box.
    view.click()
    box = cell.locator("[data-inline-editor] input[name=value]")
    expect(box).to_be_focused()
    box.fill("abc")
    box.press("Enter")
    expect(cell.locator(".cell-editor__error")).to_contain_text("הערך הקודם הוחזר")
    expect(box).to_have_value("050-1234567")
    expect(box).to_have_attribute("aria-invalid", "true")

    # A right one: saved, shown, and still there after a reload.
    box.fill("054-9876543")
    box.press("Enter")
    expect(view).to_contain_text("054-9876543")
    expect(cell.locator(".cell__status")).to_have_text("נשמר")
    expect(cell.locator("[data-inline-editor]")).to_have_count(0)
    page.reload()
    expect(view).to_contain_text("054-9876543")

    # Esc closes an open editor without saving what was typed.
    view.click()
    box.fill("058-0000000")
    box.press("Escape")
    expect(cell.locator("[data-inline-editor]")).to_have_count(0)
    expect(view).to_contain_text("054-9876543")

    # Keyboard only: Tab to the value, Enter opens the editor, type, Enter saves.
    email_view = page.get_by_role("button", name="עריכת אימייל של דנה כהן")
    view.focus()
    page.keyboard.press("Tab")
    expect(cell.get_by_role("link", name="התקשרות אל דנה כהן")).to_be_focused()
    page.keyboard.press("Tab")
    expect(email_view).to_be_focused()
    page.keyboard.press("Enter")
    email_box = page.locator(f"#cell-{dana}-email [data-inline-editor] input[name=value]")
    expect(email_box).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("dana.cohen@example.com")
    page.keyboard.press("Enter")
    expect(email_view).to_contain_text("dana.cohen@example.com")
    expect(email_view).to_be_focused()
    page.reload()
    expect(email_view).to_contain_text("dana.cohen@example.com")


# ---------------------------------------------------------------------------------------------
# 3. Bulk actions
# ---------------------------------------------------------------------------------------------


def test_bulk_label_with_undo_then_bulk_archive(page, seed):
    ids = seed_contacts(seed, CLIENTS)
    chosen = ["דנה כהן", "אבי לוי", "רותם גל"]
    sign_in(page, OWNER)
    page.goto("/contacts")
    bar = page.locator("[data-bulk-bar]")
    expect(bar).to_be_hidden()

    for name in chosen:
        page.get_by_label(f"בחירת {name}").check()
    expect(bar).to_be_visible()
    expect(bar.locator("[data-bulk-count]")).to_have_text("3")
    bar.locator("#bulk-action").select_option("label_add:" + _label_value(page, "VIP"))
    bar.get_by_role("button", name="ביצוע").click()

    toast = toasts(page).locator("[data-toast]", has_text="התגית נוספה ל-3 רשומות.")
    expect(toast).to_be_visible()
    for name in chosen:
        expect(row(page, ids[name]).locator(".row-labels")).to_contain_text("VIP")
    expect(row(page, ids["שירה אברהם"]).locator(".row-labels")).to_have_count(0)
    expect(bar).to_be_hidden()  # the list came back without a selection

    toast.get_by_role("button", name="ביטול הפעולה").click()
    expect(toasts(page)).to_contain_text("הפעולה בוטלה (3 רשומות).")
    for name in chosen:
        expect(row(page, ids[name]).locator(".row-labels")).to_have_count(0)

    # Archive two: asked first, then they leave the list.
    for name in chosen[:2]:
        page.get_by_label(f"בחירת {name}").check()
    bar.locator("#bulk-action").select_option("archive")
    bar.get_by_role("button", name="ביצוע").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("להעביר את הרשומות שנבחרו לארכיון?")
    dialog.locator("[data-confirm-ok]").click()
    expect(toasts(page)).to_contain_text("2 רשומות הועברו לארכיון.")
    for name in chosen[:2]:
        expect(row(page, ids[name])).to_have_count(0)
    expect(row(page, ids["רותם גל"])).to_be_visible()
    expect(page.locator(".contacts-list__summary")).to_have_text("נמצאו 2 רשומות")


def _label_value(page: Page, name: str) -> str:
    option = page.locator("#bulk-action optgroup[label='הוספת תגית'] option", has_text=name)
    return option.get_attribute("value").split(":", 1)[1]


# ---------------------------------------------------------------------------------------------
# 4. The contact page
# ---------------------------------------------------------------------------------------------


def test_log_a_call_on_the_contact_page(page, seed):
    def an_older_email(actor, contacts):
        communication.log_communication(
            actor,
            contacts["דנה כהן"],
            type="email",
            direction="outgoing",
            content="שלחנו הצעת מחיר ראשונה.",
            date=utcnow() - timedelta(days=3),
        )

    ids = seed_contacts(seed, CLIENTS, then=an_older_email)
    sign_in(page, OWNER)
    page.goto("/contacts")
    page.locator("#contacts-list").get_by_role("link", name="דנה כהן", exact=True).click()
    expect(page).to_have_url(re.compile(f"/contacts/{ids['דנה כהן']}$"))
    expect(page.get_by_role("heading", name="דנה כהן")).to_be_visible()

    actions = page.get_by_role("group", name="פעולות מהירות")
    expect(actions.get_by_role("link", name=re.compile("התקשרות"))).to_have_attribute(
        "href", re.compile(r"^tel:")
    )
    expect(actions.get_by_role("link", name=re.compile("וואטסאפ"))).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/972501234567")
    )
    expect(actions.get_by_role("link", name="אימייל")).to_have_attribute(
        "href", "mailto:dana@example.com"
    )

    timeline = page.locator("#contact-timeline")
    timeline.get_by_label("סוג", exact=True).select_option(label="שיחה")
    timeline.get_by_label("כיוון").select_option(label="נכנס")
    timeline.get_by_label("מה נאמר או נעשה").fill("דיברנו על לוח הזמנים, שולחים הצעה עד יום חמישי.")
    timeline.get_by_role("button", name="רישום ביומן").click()
    entries = page.locator("#contact-timeline-list .timeline__item")
    expect(entries.first).to_contain_text("דיברנו על לוח הזמנים")
    expect(entries.first).to_contain_text("שיחה")
    expect(entries.first).to_contain_text("נכנס")
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_contain_text("שלחנו הצעת מחיר ראשונה.")
    # The form is empty again, ready for the next entry.
    expect(timeline.get_by_label("מה נאמר או נעשה")).to_have_value("")
