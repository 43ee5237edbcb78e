"""Settings → lists and labels in the browser: reordering task statuses by drag and by keyboard,
another user's page following the change live (with presence), and the labels preview widget."""

import contextlib
import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import SCREENSHOTS, sign_in, snap
from tests.factories import add_member, make_studio

pytestmark = pytest.mark.browser

STATUSES = "/settings/config/task_status"
DEFAULT_ORDER = ["לעשות", "בעבודה", "בבדיקה", "הושלם"]
LIVE = 5_000  # ms: how long another user's page may take to follow a change


@pytest.fixture
def realtime_over_redis(app, monkeypatch):
    """Under `make test` (TEST_REDIS_URL set) route realtime through Redis pub/sub and presence,
    as in production; the session app is built with REDIS_URL=None. Jobs are not touched here."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        monkeypatch.setitem(app.config, "REDIS_URL", url)
    return url


def names(page: Page):
    """The entries' names, top to bottom, as the list shows them."""
    return page.locator("#config-list tbody tr .data-table__primary .text-strong")


def row_id(page: Page, name: str) -> str:
    """The id of the row that shows `name` (ids survive the list being re-rendered)."""
    row = page.locator("#config-list tbody tr").filter(
        has=page.locator(".text-strong", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    expect(row).to_have_count(1)
    return row.get_attribute("id")


@contextlib.contextmanager
def list_comes_back(page: Page):
    """Wait until the server's answer has replaced the list (the rows may move before that)."""
    page.locator("#config-list").evaluate("list => list.setAttribute('data-stale', '')")
    yield
    expect(page.locator("#config-list[data-stale]")).to_have_count(0)
    expect(page.locator("#config-list")).to_be_visible()


def wait_for_sortable(page: Page):
    page.wait_for_function("() => !!document.querySelector('[data-reorder]')?._sortable")


def open_statuses(page: Page):
    page.goto(STATUSES)
    expect(page.get_by_role("heading", name="סטטוסי משימה")).to_be_visible()
    expect(names(page)).to_have_text(DEFAULT_ORDER)


def test_reorder_statuses_by_dragging_a_row(page, seed):
    with seed():
        make_studio(name="סטודיו גרירה", email="owner@drag.test")
    sign_in(page, "owner@drag.test")
    open_statuses(page)
    wait_for_sortable(page)

    todo = row_id(page, "לעשות")
    handle = page.locator(f"#{todo} [data-reorder-handle]")
    target = page.locator(f"#{row_id(page, 'בבדיקה')}")
    # Drop on the lower part of "בבדיקה": "לעשות" lands after it.
    box = target.bounding_box()
    handle.drag_to(target, target_position={"x": box["width"] / 2, "y": box["height"] * 0.8})

    expect(page.locator("#toasts")).to_contain_text("הסדר נשמר.")
    expect(names(page)).to_have_text(["בעבודה", "בבדיקה", "לעשות", "הושלם"])
    snap(page, "config-after-drag", full_page=False)

    page.reload()
    expect(names(page)).to_have_text(["בעבודה", "בבדיקה", "לעשות", "הושלם"])


def test_reorder_statuses_with_the_keyboard(page, seed):
    with seed():
        make_studio(name="סטודיו מקלדת", email="owner@keys.test")
    sign_in(page, "owner@keys.test")
    open_statuses(page)
    todo, done = row_id(page, "לעשות"), row_id(page, "הושלם")

    # 1. The row's "move down" button, pressed with Enter: focus stays on it after the swap.
    down = page.locator(f"#{todo}-down")
    expect(page.locator(f"#{todo}-up")).to_be_disabled()  # first row
    down.focus()
    page.keyboard.press("Enter")
    expect(names(page)).to_have_text(["בעבודה", "לעשות", "בבדיקה", "הושלם"])
    expect(page.locator("#toasts")).to_contain_text("הסדר נשמר.")
    expect(down).to_be_focused()
    expect(page.locator(f"#{todo}-up")).to_be_enabled()

    # 2. Alt+ArrowUp anywhere in a row (here on its edit link) moves it up; focus stays there.
    edit = page.locator(f"#{done}-edit")
    edit.focus()
    with list_comes_back(page):
        page.keyboard.press("Alt+ArrowUp")
    expect(names(page)).to_have_text(["בעבודה", "לעשות", "הושלם", "בבדיקה"])
    expect(edit).to_be_focused()
    # The next step once the first is saved (moves pause while a save is in flight).
    with list_comes_back(page):
        page.keyboard.press("Alt+ArrowUp")
    expect(names(page)).to_have_text(["בעבודה", "הושלם", "לעשות", "בבדיקה"])
    expect(edit).to_be_focused()

    page.reload()
    expect(names(page)).to_have_text(["בעבודה", "הושלם", "לעשות", "בבדיקה"])

    # 3. Two quick presses before anything is saved: both moves are kept (sent as one save).
    wait_for_sortable(page)
    page.locator(f"#{done}-edit").focus()
    with list_comes_back(page):
        page.keyboard.press("Alt+ArrowDown")
        page.keyboard.press("Alt+ArrowDown")
    expect(names(page)).to_have_text(["בעבודה", "לעשות", "בבדיקה", "הושלם"])
    page.reload()
    expect(names(page)).to_have_text(["בעבודה", "לעשות", "בבדיקה", "הושלם"])


def test_a_manager_sees_the_owners_changes_live_and_is_shown_as_present(
    context, seed, realtime_over_redis
):
    with seed():
        tenant, _owner = make_studio(name="סטודיו חי", email="owner@live.test", first_name="נועה")
        add_member(tenant, "manager@live.test", "manager")  # דנה כהן; may look, not edit
    owner = context().new_page()
    manager = context().new_page()
    sign_in(owner, "owner@live.test")
    sign_in(manager, "manager@live.test")

    open_statuses(owner)
    open_statuses(manager)
    expect(manager.locator("#config-add")).to_have_count(0)  # reads only
    expect(manager.locator("#config-list [data-reorder-handle]")).to_have_count(0)

    # Presence: each sees the other's avatar (this also means both sockets are subscribed).
    expect(owner.locator("#presence .presence__avatar")).to_have_count(1, timeout=LIVE)
    expect(owner.locator("#presence .presence__avatar")).to_have_attribute("title", "דנה כהן")
    expect(owner.locator("#presence")).to_have_attribute("aria-label", re.compile("דנה כהן"))
    expect(manager.locator("#presence .presence__avatar")).to_have_attribute(
        "title", "נועה לוי", timeout=LIVE
    )
    snap(owner, "config-presence", full_page=False)

    # Anything that reloads the manager's page would drop this marker.
    manager.evaluate("window.__notReloaded = true")

    # The owner adds a status...
    add = owner.locator("#config-add")
    add.get_by_role("textbox", name="שם", exact=True).fill("ממתין ללקוח")
    add.get_by_role("button", name="הוספה").click()
    expect(owner.locator("#toasts")).to_contain_text('"ממתין ללקוח" נוסף לרשימה.')
    expect(names(owner)).to_have_text([*DEFAULT_ORDER, "ממתין ללקוח"])
    # ...and the manager's list follows, without a reload.
    expect(names(manager)).to_have_text([*DEFAULT_ORDER, "ממתין ללקוח"], timeout=LIVE)

    # The owner moves it up a step; the manager's list follows again.
    owner.locator(f"#{row_id(owner, 'ממתין ללקוח')}-up").click()
    expect(names(owner)).to_have_text(["לעשות", "בעבודה", "בבדיקה", "ממתין ללקוח", "הושלם"])
    expect(names(manager)).to_have_text(
        ["לעשות", "בעבודה", "בבדיקה", "ממתין ללקוח", "הושלם"], timeout=LIVE
    )
    assert manager.evaluate("window.__notReloaded") is True
    snap(manager, "config-live-manager", full_page=False)

    # The owner's page came back after the add (a redirect): the manager is still shown.
    expect(owner.locator("#presence .presence__avatar")).to_have_attribute(
        "title", "דנה כהן", timeout=LIVE
    )
    # The manager leaves: the avatar goes.
    manager.close()
    expect(owner.locator("#presence .presence__avatar")).to_have_count(0, timeout=LIVE)
    expect(owner.locator("#presence")).not_to_have_attribute("aria-label", re.compile("."))


def test_create_a_label_and_attach_and_detach_it_in_the_preview(page, seed):
    with seed():
        make_studio(name="סטודיו תגיות", email="owner@labels.test")
    sign_in(page, "owner@labels.test")
    page.goto("/settings/labels")

    add = page.locator("#label-add")
    add.get_by_label("שם התגית").fill("לקוח VIP")
    add.get_by_label("פרויקטים").check()
    add.get_by_label("לקוחות").check()
    add.get_by_role("button", name="הוספה").click()
    expect(page.locator("#toasts")).to_contain_text('התגית "לקוח VIP" נוספה.')
    row = page.locator("#labels-list tbody tr", has_text="לקוח VIP")
    expect(row).to_contain_text("פרויקטים, לקוחות")
    expect(row.locator("td.num")).to_have_text("0")

    preview = page.locator("#labels-preview")
    chips = preview.get_by_role("list", name="תגיות").get_by_role("listitem")
    expect(chips).to_have_text(["אין תגיות"])

    # Attach: choosing from the widget's select submits at once.
    preview.get_by_label("הוספת תגית").select_option(label="לקוח VIP")
    expect(chips).to_have_text(["לקוח VIP"])
    remove = preview.get_by_role("button", name="הסרת התגית לקוח VIP")
    expect(remove).to_be_visible()
    # Nothing left to add: the select is gone.
    expect(preview.get_by_label("הוספת תגית")).to_have_count(0)
    # The list's usage count follows (realtime refresh of the list).
    expect(row.locator("td.num")).to_have_text("1", timeout=LIVE)
    toasts = page.locator("#toasts").get_by_role("button", name="סגירה")
    for _ in range(toasts.count()):  # the toast sits over the preview at this size
        toasts.first.click()
    expect(toasts).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    preview.screenshot(path=str(SCREENSHOTS / "labels-preview-attached-1280.png"))

    # Detach.
    remove.click()
    expect(chips).to_have_text(["אין תגיות"])
    expect(preview.get_by_label("הוספת תגית")).to_be_visible()
    expect(row.locator("td.num")).to_have_text("0", timeout=LIVE)

    page.reload()
    expect(chips).to_have_text(["אין תגיות"])
    expect(row).to_contain_text("לקוח VIP")
