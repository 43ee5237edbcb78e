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


# ---- contacts (issue 4) ----------------------------------------------------------------------

CONTACTS_OWNER = "owner@contacts.test"


def seed_contacts(seed, clients=(), then=None, email: str = CONTACTS_OWNER) -> dict:
    """A studio (owner `email`) with a "VIP" label for clients and `clients`, each a tuple
    (name, email, mobile, status); `then(actor, contacts)` may add more in the same studio.
    Returns {name: id as text} of every contact in `contacts` (`then` may add to it)."""
    from sqlalchemy import select

    from app.contacts import services
    from app.core.tenancy import tenant_scope
    from app.extensions import db
    from app.labels import services as labels
    from app.tenants.models import Membership
    from tests.factories import make_studio

    with seed():
        tenant, _owner = make_studio(name="סטודיו קשרים", email=email)
        with tenant_scope(tenant.id):
            actor = db.session.scalar(
                select(Membership).where(
                    Membership.tenant_id == tenant.id, Membership.role == "owner"
                )
            )
            labels.create_label(actor, name="VIP", color="#F59E0B", entity_types=["client"])
            contacts = {}
            for name, address, mobile, status in clients:
                contacts[name] = services.create_contact(
                    actor,
                    "client",
                    {
                        "name": name,
                        "type": "individual",
                        "status": status,
                        "email": address,
                        "mobile": mobile,
                        "preferred_communication": "phone",
                        "city": "תל אביב",
                    },
                )
                db.session.flush()
            if then:
                then(actor, contacts)
            db.session.commit()
            return {name: str(contact.id) for name, contact in contacts.items()}


def open_import(page: Page, tab: str = "clients"):
    """The contacts list's "import / export" menu, then "import from CSV"."""
    page.goto(f"/contacts?tab={tab}")
    page.get_by_role("button", name="יבוא וייצוא").click()
    page.get_by_role("link", name="יבוא מקובץ CSV").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("העלאת קובץ")


def wait_for_animations(page: Page):
    """Until every finite CSS animation has ended (a dialog fading in), before a screenshot."""
    page.wait_for_function(
        """() => document.getAnimations().every(a =>
            a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)"""
    )


# ---- projects (issue 5) ----------------------------------------------------------------------

PROJECTS_OWNER = "owner@projects.test"
PROJECTS_CLIENT = "דנה ויוסי כהן"
APARTMENT_TEMPLATE = "עיצוב דירה - סטנדרטי"


def seed_projects_studio(seed, then=None) -> dict:
    """A studio (owner PROJECTS_OWNER) with one client, PROJECTS_CLIENT; `then(actor, ids)`
    may add projects in the same studio. Returns {"client": id, ...what `then` added} as text."""
    from sqlalchemy import select

    from app.contacts import services as contacts
    from app.core.tenancy import tenant_scope
    from app.extensions import db
    from app.tenants.models import Membership
    from tests.factories import make_studio

    with seed():
        tenant, _owner = make_studio(name="סטודיו פרויקטים", email=PROJECTS_OWNER)
        with tenant_scope(tenant.id):
            actor = db.session.scalar(
                select(Membership).where(
                    Membership.tenant_id == tenant.id, Membership.role == "owner"
                )
            )
            client = contacts.create_contact(
                actor,
                "client",
                {
                    "name": PROJECTS_CLIENT,
                    "type": "individual",
                    "status": "active",
                    "email": "dana.yossi@example.com",
                    "mobile": "050-1234567",
                    "preferred_communication": "phone",
                },
            )
            db.session.flush()
            ids = {"client": client.id}
            if then:
                then(actor, ids)
            db.session.commit()
            return {key: str(value) for key, value in ids.items()}


def apartment_project(actor, client_id, **data):
    """A project from the built-in apartment template, as the create panel makes it."""
    from datetime import date

    from app.extensions import db
    from app.projects import templates

    templates.ensure_built_ins()
    template = next(t for t in templates.templates() if t.name == APARTMENT_TEMPLATE)
    project = templates.create_from_template(
        actor,
        template,
        {
            "name": "דירה בנווה צדק",
            "client_id": str(client_id),
            "start_date": date.today().isoformat(),
        }
        | data,
    )
    db.session.flush()
    return project


DEMO_OWNER, DEMO_MEMBER = "owner@example.com", "member@example.com"


def seed_demo_studio(seed) -> None:
    """`flask seed-demo`: studio 1 with its clients, eight projects, rooms and tasks around
    today (sign in as DEMO_OWNER / DEMO_MEMBER with DEMO_PASSWORD)."""
    from app.demo import seed_demo

    with seed():
        seed_demo()


def hub_card(page: Page, key: str):
    return page.locator(f"#hub-card-{key}")


def hub_panel(page: Page, key: str):
    return page.locator(f"#hub-panel-{key}")
