"""What a person does again and again in the browser tests: sign in, open the user menu..."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def sign_in(page: Page, email: str, password: str = PASSWORD, lands_on: str = "/dashboard"):
    page.goto("/login")
    page.get_by_label("אימייל").fill(email)
    page.get_by_label("סיסמה").fill(password)
    page.get_by_role("button", name="כניסה", exact=True).click()
    if lands_on:
        expect(page).to_have_url(re.compile(re.escape(lands_on) + r"$"))


def open_user_menu(page: Page):
    # By what it controls rather than its label, which is translated ("תפריט משתמש: ...").
    button = page.locator("button[aria-controls=user-menu]")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    return page.locator("#user-menu")


def sign_out(page: Page):
    open_user_menu(page).get_by_role("button", name="התנתקות").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#toasts")).to_contain_text("התנתקת בהצלחה")


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def snap(page: Page, name: str, full_page: bool = True):
    """Save a screenshot for a human to look at: test-results/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    if full_page:  # a page scrolled to an #anchor comes out shifted, with fixed parts misplaced
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=full_page)
