"""Browser tests: the app on a live local server, driven by Debian's Chromium through Playwright.

Fixtures
  live_server  session: the session `app` (tests/conftest.py) served by werkzeug on 127.0.0.1:<free
               port> in a daemon thread; its value is the base URL.
  browser      session: one headless Chromium for the whole run (CHROMIUM_PATH, default
               /usr/bin/chromium; Playwright's own browser download is not used).
  context      function: a factory, `context(viewport=(375, 812))` -> a new BrowserContext
               (he-IL, base_url = live server), so one test can act as several people. Every
               context is closed at the end of the test; an uncaught JS error or a CSP violation in
               any of its pages fails the test.
  page         function: a page in a new 1280x800 context, for tests that need only one person.
  seed         function: `with seed(): make_studio(...)` runs factories in a request context
               of the live server (links in e-mails then point at it); the factories commit.

These names override pytest-playwright's fixtures of the same names (its own `browser` would
launch a Playwright-downloaded Chromium, which is not available here). Its plugin stays loaded:
it adds a `[chromium]` parameter to the test ids, and deletes ./test-results at session start.
"""

import contextlib
import os
import threading

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from app.core.tenancy import clear_scope
from app.extensions import db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = (1280, 800)
PHONE = (375, 812)

expect.set_options(timeout=10_000)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # no access log lines in the test output
        pass


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def _playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    chromium = _playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        args=CHROMIUM_ARGS,
        headless=True,
    )
    yield chromium
    chromium.close()


# Console messages that are not bugs: a form re-rendered with its errors comes back as 422.
_EXPECTED_CONSOLE = ("Failed to load resource: the server responded with a status of 422",)


@pytest.fixture
def context(browser, live_server):
    opened = []
    problems = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith(_EXPECTED_CONSOLE):
            problems.append(f"console error: {message.text} ({message.location})")

    def new_context(viewport=DESKTOP, **options):
        width, height = viewport
        ctx = browser.new_context(
            base_url=live_server,
            locale="he-IL",
            timezone_id="Asia/Jerusalem",
            viewport={"width": width, "height": height},
            **options,
        )
        ctx.set_default_timeout(10_000)
        ctx.on("weberror", lambda error: problems.append(f"uncaught JS error: {error.error}"))
        ctx.on("console", on_console)
        opened.append(ctx)
        return ctx

    yield new_context
    for ctx in opened:
        ctx.close()
    if problems:
        pytest.fail("browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(context):
    return context().new_page()


@pytest.fixture
def seed(app, live_server):
    @contextlib.contextmanager
    def in_request():
        with app.test_request_context(base_url=live_server):
            try:
                yield
            finally:
                db.session.rollback()
                db.session.remove()
                clear_scope()

    return in_request
