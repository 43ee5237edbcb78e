"""The team page: inviting someone (who joins from the e-mail in another browser) and
deactivating a member through the confirmation dialog."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import sign_in, snap
from tests.conftest import PASSWORD
from tests.factories import add_member, make_studio

pytestmark = pytest.mark.browser


def test_invite_a_member_who_joins_from_the_email(context, seed):
    with seed():
        make_studio(name="סטודיו תכלת", email="owner@tchelet.test")
    owner = context().new_page()
    sign_in(owner, "owner@tchelet.test")

    owner.goto("/settings/users")
    invite = owner.locator("#invite")
    invite.get_by_label("אימייל").fill("yael@tchelet.test")
    invite.get_by_label("תפקיד", exact=True).select_option(label="מנהל/ת")
    invite.get_by_role("button", name="שליחת הזמנה").click()
    expect(owner.locator("#toasts")).to_contain_text("ההזמנה נשלחה אל yael@tchelet.test")
    pending = owner.locator("#invitations")
    expect(pending).to_contain_text("yael@tchelet.test")
    expect(pending).to_contain_text("מנהל/ת")

    # Yael, on her own computer, opens the e-mail and follows its button.
    yael = context().new_page()
    yael.goto("/dev/mail")
    yael.get_by_role("link", name=re.compile("הוזמנת להצטרף ל-סטודיו תכלת")).click()
    expect(yael.locator("#mail-body")).to_contain_text("הזמין/ה אותך להצטרף ל-סטודיו תכלת")
    snap(yael, "dev-mail-message")
    yael.locator("#mail-body").get_by_role("link", name="קבלת ההזמנה").click()

    expect(yael.get_by_role("heading", name="הצטרפות ל-סטודיו תכלת")).to_be_visible()
    expect(yael.locator(".auth-card")).to_contain_text("yael@tchelet.test")
    snap(yael, "accept-invitation")
    yael.get_by_label("שם פרטי").fill("יעל")
    yael.get_by_label("שם משפחה").fill("מזרחי")
    yael.get_by_label("סיסמה").fill(PASSWORD)
    yael.get_by_role("button", name="יצירת חשבון והצטרפות").click()
    expect(yael).to_have_url(re.compile(r"/dashboard$"))
    expect(yael.locator("#toasts")).to_contain_text("הצטרפת ל-סטודיו תכלת")
    expect(yael.locator("main").get_by_role("heading", name="שלום, יעל")).to_be_visible()
    expect(yael.locator("main")).to_contain_text("מנהל/ת")

    owner.reload()
    row = owner.locator("#team-table tbody tr", has_text="yael@tchelet.test")
    expect(row).to_contain_text("יעל מזרחי")
    expect(row).to_contain_text("מנהל/ת")
    expect(row).to_contain_text("פעיל/ה")
    expect(owner.locator("#invitations")).not_to_contain_text("yael@tchelet.test")
    expect(owner.locator("#invitations")).to_contain_text("אין הזמנות ממתינות")


def test_deactivate_a_member_through_the_confirmation_dialog(page, seed):
    with seed():
        tenant, _owner = make_studio(name="סטודיו ברוש", email="owner@brosh.test")
        member_id = add_member(tenant, "dana@brosh.test", "member").id
    sign_in(page, "owner@brosh.test")
    page.goto("/settings/users")

    row = page.locator(f"#member-{member_id}")
    deactivate = row.get_by_role("button", name="השבתה")
    dialog = page.locator("#confirm-dialog")
    expect(row).to_contain_text("פעיל/ה")
    # The owner's own row has no such button.
    expect(
        page.locator("#team-table tbody tr", has_text="owner@brosh.test").get_by_role(
            "button", name="השבתה"
        )
    ).to_have_count(0)

    # 1. Mouse: open, read the question, cancel.
    deactivate.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("להשבית את דנה כהן?")
    expect(dialog.get_by_role("button", name="ביטול")).to_be_focused()  # safe default
    snap(page, "confirm-dialog", full_page=False)
    dialog.get_by_role("button", name="ביטול").click()
    expect(dialog).to_be_hidden()
    expect(deactivate).to_be_focused()
    expect(row).to_contain_text("פעיל/ה")

    # 2. Keyboard: Enter opens, Escape cancels.
    deactivate.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(deactivate).to_be_focused()
    page.reload()
    expect(row).to_contain_text("פעיל/ה")

    # 3. Keyboard: Enter opens, Tab moves from Cancel to the confirm button, Enter confirms.
    deactivate.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="השבתה")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#toasts")).to_contain_text("דנה כהן הושבת/ה")
    expect(row).to_contain_text("מושבת/ת")
    expect(row).not_to_contain_text("פעיל/ה")
    expect(row.get_by_role("button", name="הפעלה מחדש")).to_be_visible()
