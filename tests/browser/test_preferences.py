"""Language and theme switches: direction and colour scheme of the whole page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import open_user_menu, sign_in, snap
from tests.factories import make_studio

pytestmark = pytest.mark.browser


def test_language_and_theme_switches_from_the_user_menu(context, seed):
    page = context(reduced_motion="reduce").new_page()  # no menu pop-in in the screenshot
    with seed():
        make_studio(email="owner@a.test")
    sign_in(page, "owner@a.test")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "he")

    open_user_menu(page).locator("button[name=locale][value=en]").click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/dashboard$"))  # back where we were
    page.reload()  # saved on the account
    expect(html).to_have_attribute("dir", "ltr")
    snap(page, "dashboard-ltr")

    open_user_menu(page).locator("button[name=locale][value=he]").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "he")

    expect(html).to_have_attribute("data-theme", "system")
    menu = open_user_menu(page)
    menu.get_by_role("button", name="כהה").click()
    expect(html).to_have_attribute("data-theme", "dark")
    snap(page, "dashboard-dark")
    menu = open_user_menu(page)
    expect(menu.get_by_role("button", name="כהה")).to_have_attribute("aria-pressed", "true")
    snap(page, "user-menu-dark", full_page=False)
    # The page really is dark: the body background is darker than mid-grey.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(x) for x in re.findall(r"\d+", background)[:3])
    assert red + green + blue < 3 * 128, background
    menu.get_by_role("button", name="בהיר").click()
    expect(html).to_have_attribute("data-theme", "light")


def test_language_and_theme_switches_before_signing_in(page):
    page.goto("/login")
    html = page.locator("html")
    prefs = page.locator(".auth__prefs")
    prefs.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("dir", "ltr")
    page.goto("/signup")  # kept in a cookie
    expect(html).to_have_attribute("dir", "ltr")
    prefs.get_by_role("button", name="עברית").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(re.compile(r"/signup$"))
    prefs.get_by_role("button", name="כהה").click()
    expect(html).to_have_attribute("data-theme", "dark")
