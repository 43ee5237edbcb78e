"""Tasks in the browser: quick add, drag a task across the board (and a refused drag going
back), the keyboard "move to" menu, ticking a checklist item in the side panel, and another
person's change appearing live in the hub's tasks panel."""

import pytest
from playwright.sync_api import Page, expect

from app.core.tenancy import tenant_scope
from app.extensions import db
from tests.browser.pages import sign_in
from tests.factories import add_member, make_studio
from tests.tasks.conftest import make_project, make_task, membership

pytestmark = pytest.mark.browser


def seed_tasks(seed) -> dict:
    with seed():
        tenant, _ = make_studio(name="סטודיו משימות", email="tasks-owner@a.test")
        add_member(tenant, "tasks-manager@a.test", "manager")
        with tenant_scope(tenant.id):
            owner = membership(tenant)
            project = make_project(owner, name="דירה בחולון")
            first = make_task(owner, project, title="להזמין ספה")
            second = make_task(owner, project, title="לבחור וילונות")
            from app.tasks import checklist, services

            services.set_status(owner, second, "in_progress")
            services.set_status(owner, second, "review")
            checklist.add_item(owner, first, "מידות הסלון")
            checklist.add_item(owner, first, "צבע הבד")
            ids = {"project": project.id, "first": first.id, "second": second.id}
            db.session.commit()
    return ids


def column(page: Page, status: str):
    return page.locator(f".task-column__cards[data-status={status}]")


def drag(page: Page, source, target, status: str):
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 8)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 5, start["y"] + 20, steps=5)
    x, y = end["x"] + end["width"] / 2, end["y"] + min(40, end["height"] / 2)
    page.mouse.move(x, y, steps=20)
    # Under load Sortable may lag behind the mouse: drop only once the card is in the column.
    selector = (
        f".task-column__cards[data-status={status}] :is(.task-card--ghost, .task-card--chosen)"
    )
    for _attempt in range(20):
        if page.locator(selector).count():
            break
        page.mouse.move(x + 1, y + 1, steps=2)
        page.mouse.move(x, y, steps=2)
    page.mouse.up()


def test_board_drag_refused_drag_and_keyboard_menu(page, seed):
    ids = seed_tasks(seed)
    sign_in(page, "tasks-owner@a.test")
    page.goto("/tasks?view=board")
    page.wait_for_function(
        "() => !!document.querySelector('.task-column__cards[data-status=todo]')._sortable"
    )
    first, second = ids["first"], ids["second"]

    drag(
        page,
        page.locator(f"#task-card-{first} .task-card__grip"),
        column(page, "in_progress"),
        "in_progress",
    )
    expect(page.locator("#toasts")).to_contain_text('"להזמין ספה" הועברה ל"בעבודה"')
    expect(column(page, "in_progress").locator(f"#task-card-{first}")).to_be_visible()
    page.reload()
    expect(column(page, "in_progress").locator(f"#task-card-{first}")).to_be_visible()

    # "בבדיקה" may not go back to "לעשות": the card returns and the toast says why.
    page.wait_for_function(
        "() => !!document.querySelector('.task-column__cards[data-status=todo]')._sortable"
    )
    drag(page, page.locator(f"#task-card-{second} .task-card__grip"), column(page, "todo"), "todo")
    expect(page.locator("#toasts")).to_contain_text('אי אפשר לעבור מ"בבדיקה" ל"לעשות"')
    expect(column(page, "review").locator(f"#task-card-{second}")).to_be_visible()

    # The keyboard way: the card's "move" menu.
    move = page.locator(f"#task-card-{second}-move")
    move.focus()
    page.keyboard.press("Enter")
    done = page.locator(f"#task-card-{second} .task-card__statuses").get_by_role(
        "button", name="הושלם"
    )
    done.focus()
    page.keyboard.press("Enter")
    expect(column(page, "done").locator(f"#task-card-{second}")).to_be_visible()
    expect(page.locator(f"#task-card-{second}-move")).to_be_focused()


def test_quick_add_and_checklist_in_the_side_panel(page, seed):
    ids = seed_tasks(seed)
    sign_in(page, "tasks-owner@a.test")
    page.goto("/tasks?view=list")
    line = page.get_by_label("משימה חדשה")
    line.fill("לשלוח הצעת מחיר מחר @tasks-manager !דחוף")
    line.press("Enter")
    expect(page.locator("#toasts")).to_contain_text('המשימה "לשלוח הצעת מחיר" נוספה')
    row = page.locator("#tasks-list tr", has_text="לשלוח הצעת מחיר")
    expect(row).to_contain_text("דחופה")
    expect(row).to_contain_text("מחר")
    expect(line).to_be_focused()

    page.locator("#tasks-list a[data-task-open]", has_text="להזמין ספה").click()
    panel = page.locator("#task-panel")
    expect(panel).to_be_visible()
    item = panel.locator(".task-checklist__item", has_text="מידות הסלון")
    item.get_by_role("checkbox").check()
    expect(panel.locator(".task-checklist__head")).to_contain_text("1 מתוך 2")
    new_item = panel.get_by_placeholder("פריט חדש…")
    new_item.fill("דוגמת בד")
    new_item.press("Enter")
    expect(panel.locator(".task-checklist__item")).to_have_count(3)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    # The list caught up once the panel closed: the row shows the checklist's progress.
    expect(page.locator(f"#task-row-{ids['first']}")).to_contain_text("1/3")


def test_hub_panel_updates_live_from_another_browser(context, seed):
    ids = seed_tasks(seed)
    owner_page = context().new_page()
    manager_page = context().new_page()
    sign_in(owner_page, "tasks-owner@a.test")
    sign_in(manager_page, "tasks-manager@a.test")
    hub = f"/projects/{ids['project']}?open=tasks"
    owner_page.goto(hub)
    expect(owner_page.locator("#panel-tasks")).to_contain_text("להזמין ספה")
    owner_page.wait_for_timeout(500)  # the socket connects
    manager_page.goto(hub)
    line = manager_page.locator("#panel-tasks").get_by_label("משימה חדשה")
    line.fill("לתאם מתקין")
    line.press("Enter")
    expect(manager_page.locator("#panel-tasks")).to_contain_text("לתאם מתקין")
    expect(owner_page.locator("#panel-tasks")).to_contain_text("לתאם מתקין", timeout=8000)
