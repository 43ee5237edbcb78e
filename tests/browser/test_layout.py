"""Layout at phone and desktop widths: nothing sticks out sideways, the phone shell (drawer,
bottom bar) works, and a full-page screenshot of every page is saved for a human to look at:
test-results/screenshots/<page>-<width>.png."""

import pytest
from playwright.sync_api import expect

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants import services as tenants
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import sign_in, snap
from tests.factories import add_member, make_studio, make_user

pytestmark = pytest.mark.browser

# (name, path, who is looking)
PAGES = [
    ("login", "/login", "visitor"),
    ("signup", "/signup", "visitor"),
    ("dashboard", "/dashboard", "owner"),
    ("settings-users", "/settings/users", "owner"),
    ("settings-security", "/settings/security", "owner"),
    ("admin", "/admin/", "admin"),
]

# Elements that stick out of the viewport sideways, unless clipped by a scrolling/clipping
# ancestor or invisible (e.g. the closed drawer). Returns short descriptions.
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      if (p === document.body) return false;
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left >= -1 && r.right <= vw + 1) continue;
    if (getComputedStyle(el).visibility === 'hidden' || clipped(el)) continue;
    out.push(`${describe(el)} [${Math.round(r.left)}..${Math.round(r.right)}] "${(el.innerText || '').trim().slice(0, 40)}"`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    offenders: out.slice(0, 8),
  };
}"""


def _cases():
    for viewport in (PHONE, DESKTOP):
        for name, path, who in PAGES:
            yield pytest.param(name, path, who, viewport, id=f"{name}-{viewport[0]}")


def seed_studio(seed):
    """An owner with a second member (long e-mail) and a pending invitation; a platform admin."""
    with seed():
        tenant, owner = make_studio(
            name="סטודיו רונית אדריכלות ועיצוב פנים", email="owner@ronit.test"
        )
        add_member(tenant, "daniela.rosenberg-cohen@ronit-design-studio.co.il", "manager")
        with tenant_scope(tenant.id):
            actor = tenants.membership_in(owner, tenant.id)
            tenants.invite_member(
                actor, "new.designer@ronit-design-studio.co.il", "member", None, None
            )
            db.session.commit()
        make_user("admin@platform.test", first_name="אבי", is_platform_admin=True)


def sideways_overflow(page):
    result = page.evaluate(OVERFLOW_JS)
    problems = []
    if result["scrollWidth"] > result["innerWidth"]:
        problems.append(f"scrollWidth {result['scrollWidth']} > innerWidth {result['innerWidth']}")
    if result["offenders"]:
        problems.append(f"elements outside the viewport: {result['offenders']}")
    return problems


def check_phone_shell(page):
    menu_button = page.locator(".topbar__menu")
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    if page.locator(".bottom-bar").count():  # rendered only when there are nav items
        expect(page.locator(".bottom-bar")).to_be_visible()
        expect(page.locator(".bottom-bar [aria-current=page]")).to_have_count(1)
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(sidebar).to_be_visible()
    expect(sidebar).to_have_attribute("aria-modal", "true")
    expect(sidebar.locator(":focus")).to_have_count(1)  # focus moved into the drawer
    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(sidebar).to_be_hidden()
    expect(menu_button).to_be_focused()


def check_desktop_shell(page):
    expect(page.locator("#sidebar")).to_be_visible()
    expect(page.locator(".topbar__menu")).to_be_hidden()
    expect(page.locator(".bottom-bar")).to_be_hidden()


@pytest.mark.parametrize(("name", "path", "who", "viewport"), list(_cases()))
def test_page_fits_the_screen(context, seed, name, path, who, viewport):
    page = context(viewport=viewport).new_page()
    if who != "visitor":
        seed_studio(seed)
        if who == "owner":
            sign_in(page, "owner@ronit.test")
        else:
            sign_in(page, "admin@platform.test", lands_on=None)
    response = page.goto(path)
    assert response.status == 200, f"{path} as {who}: HTTP {response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")
    snap(page, name)

    if who != "visitor":
        if viewport[0] < 640:
            check_phone_shell(page)
        else:
            check_desktop_shell(page)
    problems = sideways_overflow(page)
    assert not problems, f"{name} at {viewport[0]}px: " + "; ".join(problems)
