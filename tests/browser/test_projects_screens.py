"""Screenshots of the projects module for a person to look at (test-results/screenshots), at a
phone's and a desktop's width, on the demo studio (`flask seed-demo`: eight projects with rooms
and tasks around today): the projects list as a table and as cards, the create panel from
scratch and from a template, a hub with its tasks and rooms panels open, the templates and one
template, the three task views, and the dashboard of the owner and of a member. Each shot first
checks that the page shows what it should, so a broken page fails here rather than in a picture."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.demo import DEMO_PASSWORD
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import (
    APARTMENT_TEMPLATE,
    DEMO_MEMBER,
    DEMO_OWNER,
    hub_panel,
    seed_demo_studio,
    sign_in,
    snap,
    wait_for_animations,
)

pytestmark = pytest.mark.browser

FLAGSHIP = "דירת 5 חדרים בצפון הישן"  # a VIP apartment in detailed design, with a full team


def snap_projects_list(page: Page):
    page.goto("/projects")
    expect(page.locator("#projects-list")).to_contain_text(FLAGSHIP)
    snap(page, "projects-list-table")
    page.goto("/projects?view=cards")
    expect(page.locator("#projects-list")).to_contain_text(FLAGSHIP)
    snap(page, "projects-list-cards")


def snap_create_panel(page: Page):
    page.goto("/projects")
    page.locator("#new-project-button").click()
    panel = page.locator("#project-panel")
    expect(panel.locator("#project-create-form")).to_be_visible()
    wait_for_animations(page)
    snap(page, "projects-panel-scratch", full_page=False)

    panel.get_by_label("נקודת התחלה").select_option(label=f"מתבנית: {APARTMENT_TEMPLATE}")
    expect(panel).to_contain_text("מה לקחת מהתבנית")
    panel.get_by_text("התאמות: שינוי שם או הוצאה של חדר").click()
    expect(panel.get_by_label("לא לכלול את סלון")).to_be_visible()
    snap(page, "projects-panel-template", full_page=False)
    panel.locator(".side-panel__header").get_by_role("button", name="סגירה").click()
    expect(panel).to_be_hidden()


def snap_hub(page: Page):
    page.goto("/projects")
    page.get_by_role("link", name=FLAGSHIP).first.click()
    expect(page).to_have_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    page.goto(page.url + "?open=tasks,rooms")
    expect(hub_panel(page, "tasks")).to_contain_text("תכנון מפורט - סלון")
    expect(hub_panel(page, "rooms")).to_contain_text("חדר רחצה ילדים")
    snap(page, "projects-hub")


def snap_templates(page: Page):
    page.goto("/projects/templates")
    expect(page.locator(".template-cards")).to_contain_text(APARTMENT_TEMPLATE)
    snap(page, "projects-templates")
    page.get_by_role("link", name=APARTMENT_TEMPLATE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(APARTMENT_TEMPLATE)
    expect(page.locator("main")).to_contain_text("ביקורת סיום")
    snap(page, "projects-template-detail")


def snap_tasks(page: Page):
    for view, shows in (
        ("mine", ".tasks-bucket"),
        ("list", "#tasks-list"),
        ("board", ".task-column"),
    ):
        page.goto(f"/tasks?view={view}")
        expect(page.locator(shows).first).to_be_visible()
        snap(page, f"tasks-{view}")


def test_screenshots_of_the_projects_module(context, seed):
    seed_demo_studio(seed)
    for viewport in (DESKTOP, PHONE):
        page = context(viewport=viewport).new_page()
        sign_in(page, DEMO_OWNER, DEMO_PASSWORD)
        expect(page.locator("main")).to_contain_text(FLAGSHIP)
        snap(page, "dashboard-owner")
        snap_projects_list(page)
        snap_create_panel(page)
        snap_hub(page)
        snap_templates(page)
        snap_tasks(page)
        page.close()

        member = context(viewport=viewport).new_page()
        sign_in(member, DEMO_MEMBER, DEMO_PASSWORD)
        expect(member.locator("main")).to_contain_text("המשימות שלי")
        snap(member, "dashboard-member")
        member.close()
