"""Projects in the browser: creating one from the apartment template in the list's side panel,
the hub's summary cards opening their panels (Shift+click for several, kept in the URL over a
reload), editing the budget in the quick info bar, and the phase stepper. The tasks board, the
checklist and the live hub are in tests/tasks/test_browser.py; screenshots in
test_projects_screens.py."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import (
    APARTMENT_TEMPLATE,
    PROJECTS_CLIENT,
    apartment_project,
    hub_card,
    hub_panel,
    seed_projects_studio,
    sign_in,
)
from tests.browser.pages import PROJECTS_OWNER as OWNER

pytestmark = pytest.mark.browser


def seed_one_project(seed, **data) -> dict:
    """The studio with one apartment project ("דירה בנווה צדק"): {"client", "project"}."""

    def add_project(actor, ids):
        ids["project"] = apartment_project(actor, ids["client"], **data).id

    return seed_projects_studio(seed, then=add_project)


def card_value(page: Page, key: str):
    return hub_card(page, key).locator(".hub-card__value")


def toasts(page: Page):
    return page.locator("#toasts")


# ---------------------------------------------------------------------------------------------
# 1. A project from the apartment template, in the create panel
# ---------------------------------------------------------------------------------------------


def test_create_a_project_from_the_apartment_template(page, seed):
    seed_projects_studio(seed)
    sign_in(page, OWNER)
    page.goto("/projects")
    page.locator("#new-project-button").click()
    panel = page.locator("#project-panel")
    expect(panel.locator("#project-create-form")).to_be_visible()

    # Choosing the template brings its section into the form (and keeps the focus there).
    panel.get_by_label("נקודת התחלה").select_option(label=f"מתבנית: {APARTMENT_TEMPLATE}")
    form = panel.locator("#project-create-form")
    takes = form.locator("fieldset", has_text="מה לקחת מהתבנית")
    expect(takes).to_contain_text("חדרים (6)")
    expect(takes).to_contain_text("משימות עם תאריכים ותלויות (11)")
    expect(panel.get_by_label("נקודת התחלה")).to_be_focused()

    form.get_by_label("שם הפרויקט").fill("דירת גן בכפר סבא")
    form.get_by_label("לקוח", exact=True).select_option(label=PROJECTS_CLIENT)
    form.get_by_label("תאריך התחלה").fill((date.today() + timedelta(days=7)).isoformat())
    form.get_by_text("התאמות: שינוי שם או הוצאה של חדר").click()
    form.get_by_label("לא לכלול את חדר ילדים 1").check()
    form.get_by_role("button", name="יצירת הפרויקט").click()

    expect(panel).to_contain_text("הפרויקט דירת גן בכפר סבא נוצר (PRJ-001).")
    expect(toasts(page)).to_contain_text("הפרויקט דירת גן בכפר סבא נוצר.")
    # The list behind the panel has it already.
    expect(page.locator("#projects-list")).to_contain_text("דירת גן בכפר סבא")

    panel.get_by_role("link", name="מעבר לפרויקט").click()
    expect(page).to_have_url(re.compile(r"/projects/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("דירת גן בכפר סבא")
    expect(page.locator("#hub-field-client_id")).to_contain_text(PROJECTS_CLIENT)
    expect(card_value(page, "rooms")).to_have_text("5")
    expect(card_value(page, "tasks")).to_have_text("11")

    # The excluded room is not there.
    hub_card(page, "rooms").click()
    rooms = hub_panel(page, "rooms")
    expect(rooms).to_contain_text("חדר רחצה ילדים")
    expect(rooms).not_to_contain_text("חדר ילדים 1")


# ---------------------------------------------------------------------------------------------
# 2. The hub's panels: Shift+click keeps several open, the URL keeps them over a reload
# ---------------------------------------------------------------------------------------------


def test_open_two_panels_with_shift_keep_them_over_a_reload(page, seed):
    ids = seed_one_project(seed)
    sign_in(page, OWNER)
    page.goto(f"/projects/{ids['project']}")
    for key in ("tasks", "rooms", "team", "activity"):
        expect(hub_panel(page, key)).to_be_hidden()

    hub_card(page, "tasks").click(modifiers=["Shift"])
    hub_card(page, "rooms").click(modifiers=["Shift"])
    expect(hub_panel(page, "tasks")).to_contain_text("פגישת היכרות")
    expect(hub_panel(page, "rooms")).to_contain_text("חדר שינה הורים")
    expect(hub_card(page, "tasks")).to_have_attribute("aria-expanded", "true")
    expect(hub_card(page, "rooms")).to_have_attribute("aria-expanded", "true")
    expect(page).to_have_url(re.compile(r"\?open=tasks,rooms$"))

    page.reload()
    expect(hub_panel(page, "tasks")).to_contain_text("פגישת היכרות")
    expect(hub_panel(page, "rooms")).to_contain_text("חדר שינה הורים")
    expect(hub_card(page, "rooms")).to_have_attribute("aria-expanded", "true")

    # A plain click on a third card: only its panel stays.
    hub_card(page, "team").click()
    expect(hub_panel(page, "team")).to_be_visible()
    expect(hub_panel(page, "tasks")).to_be_hidden()
    expect(hub_panel(page, "rooms")).to_be_hidden()
    expect(hub_card(page, "tasks")).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url(re.compile(r"\?open=team$"))


# ---------------------------------------------------------------------------------------------
# 3. The budget, edited in the quick info bar
# ---------------------------------------------------------------------------------------------


def test_inline_edit_the_budget(page, seed):
    ids = seed_one_project(seed, budget="250000")
    sign_in(page, OWNER)
    page.goto(f"/projects/{ids['project']}")
    budget = page.locator("#hub-field-budget")
    expect(budget).to_contain_text("250,000 ₪")

    # A negative budget: the reason, and the stored value back in the box.
    budget.get_by_role("button", name=re.compile("עריכת תקציב")).click()
    box = budget.get_by_role("textbox")
    expect(box).to_be_focused()
    box.fill("-5000")
    box.press("Enter")
    error = budget.locator(".cell-editor__error")
    expect(error).to_contain_text("הערך המינימלי הוא 0")
    expect(error).to_contain_text("הערך הקודם הוחזר")
    expect(box).to_have_value(re.compile(r"^250,?000(\.00)?$"))
    expect(box).to_have_attribute("aria-invalid", "true")

    # A right one: saved and shown formatted, and still there after a reload.
    box.fill("315000")
    box.press("Enter")
    expect(budget).to_contain_text("315,000 ₪")
    expect(budget.locator(".cell__status")).to_have_text("נשמר")
    expect(budget.locator("[data-inline-editor]")).to_have_count(0)
    page.reload()
    expect(page.locator("#hub-field-budget")).to_contain_text("315,000 ₪")


# ---------------------------------------------------------------------------------------------
# 4. The phase stepper
# ---------------------------------------------------------------------------------------------


def test_phase_stepper_moves_to_the_next_phase(page, seed):
    ids = seed_one_project(seed, phase_key="consultation")
    sign_in(page, OWNER)
    page.goto(f"/projects/{ids['project']}")
    stepper = page.get_by_role("list", name="שלב הפרויקט")
    current = stepper.locator("[aria-current=step]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("ייעוץ ראשוני")

    stepper.get_by_role("button", name="קונספט").click()
    expect(toasts(page)).to_contain_text("השלב עודכן: קונספט")
    expect(current).to_contain_text("קונספט")
    expect(current).to_have_count(1)
    # The phase before it is marked done.
    expect(stepper.get_by_role("button", name=re.compile("ייעוץ ראשוני"))).to_contain_text(
        "(הושלם)"
    )
    page.reload()
    expect(page.locator("#hub-phase [aria-current=step]")).to_contain_text("קונספט")
