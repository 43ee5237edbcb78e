"""The leads board (/contacts/leads) in the browser: a card dragged to another stage stays
there; the card's "move" menu works from the keyboard and "won" makes the lead an active client."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import CONTACTS_OWNER as OWNER
from tests.browser.pages import seed_contacts, sign_in

pytestmark = pytest.mark.browser

LEADS = (
    ("שירה אברהם", "shira@example.com", "053-4419087", "lead"),
    ("עומר ביטון", "omer@example.com", "054-2209381", "lead"),
    ("ליאת גולדברג", "liat@example.com", "050-6672130", "lead"),
)


def column(page: Page, stage: str):
    return page.locator(f".lead-column__cards[data-stage={stage}]")


def drag(page: Page, source, target):
    """A real pointer drag with intermediate moves (Sortable ignores a jump)."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 5, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=20)
    page.mouse.up()


def test_move_leads_on_the_board_by_dragging_and_by_the_menu(page, seed):
    ids = seed_contacts(seed, LEADS)
    shira, omer, liat = ids["שירה אברהם"], ids["עומר ביטון"], ids["ליאת גולדברג"]
    sign_in(page, OWNER)
    page.goto("/contacts/leads")
    expect(column(page, "new").locator(".lead-card")).to_have_count(3)
    page.wait_for_function(
        "() => !!document.querySelector('.lead-column__cards[data-stage=new]')._sortable"
    )

    drag(page, page.locator(f"#lead-{shira} .lead-card__grip"), column(page, "meeting"))
    expect(page.locator("#toasts")).to_contain_text("שירה אברהם הועבר לשלב פגישה")
    expect(column(page, "meeting").locator(f"#lead-{shira}")).to_be_visible()
    page.reload()
    expect(column(page, "meeting").locator(f"#lead-{shira}")).to_be_visible()
    expect(column(page, "new").locator(".lead-card")).to_have_count(2)

    # The keyboard way: the card's "move" menu, then "נסגר בהצלחה".
    move = page.locator(f"#lead-{omer}-move")
    move.focus()
    page.keyboard.press("Enter")
    menu = page.locator(f"#lead-{omer} .lead-card__stages")
    expect(menu).to_be_visible()
    won = menu.get_by_role("button", name="נסגר בהצלחה")
    won.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#toasts")).to_contain_text("עומר ביטון הפך ללקוח פעיל")
    expect(column(page, "won").locator(f"#lead-{omer}")).to_be_visible()
    expect(page.locator(f"#lead-{omer}-move")).to_be_focused()

    # "Lost" asks why, in a dialog, before moving the card.
    page.locator(f"#lead-{liat}-move").click()
    page.locator(f"#lead-{liat} .lead-card__stages").get_by_role("button", name="אבד").click()
    dialog = page.locator("#lost-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text('ליאת גולדברג יועבר לעמודת "אבד".')
    dialog.get_by_label("סיבת אובדן").fill("בחרה מעצבת אחרת")
    dialog.get_by_role("button", name="סימון כאבד").click()
    expect(page.locator("#toasts")).to_contain_text("ליאת גולדברג סומן כליד שאבד")
    expect(column(page, "lost").locator(f"#lead-{liat}")).to_contain_text("בחרה מעצבת אחרת")

    page.goto(f"/contacts/{omer}")
    status = page.locator("#contact-header .badge", has=page.locator(".badge__dot"))
    expect(status).to_have_text("פעיל")
