"""Health, the e-mail outbox and SMTP, languages, themes, error pages, security headers."""

import email
import email.policy
import time

import pytest
from aiosmtpd.controller import Controller

from app.core.mail import OutboxMessage
from app.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_studio


@pytest.mark.smoke
def test_healthz_reports_database_and_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["version"]
    assert "redis" not in body


def test_healthz_checks_redis_when_configured(app, client):
    import os

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("no Redis in this run")
    app.config["REDIS_URL"] = url
    try:
        assert client.get("/healthz").get_json()["redis"] == "ok"
        app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json()["status"] == "degraded"
    finally:
        app.config["REDIS_URL"] = None


def test_dev_mail_shows_what_was_sent(client, ctx):
    make_studio(email="owner@a.test")
    post_form(client, "/auth/forgot", {"email": "owner@a.test"})
    page = client.get("/dev/mail").get_data(as_text=True)
    assert "איפוס סיסמה" in page and "owner@a.test" in page
    message = db.session.query(OutboxMessage).one()
    detail = client.get(f"/dev/mail/{message.id}").get_data(as_text=True)
    assert "/auth/reset/" in detail


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_mail_goes_over_smtp_when_configured(app, client, ctx):
    inbox = _Inbox()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False)
    try:
        make_studio(email="owner@a.test")
        post_form(client, "/auth/forgot", {"email": "owner@a.test"})
        deadline = time.time() + 5
        while not inbox.messages and time.time() < deadline:
            time.sleep(0.05)
        assert inbox.messages, "no message reached the SMTP server"
        envelope = inbox.messages[0]
        assert envelope.rcpt_tos == ["owner@a.test"]
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert "/auth/reset/" in message.get_body(("plain",)).get_content()
        assert "איפוס סיסמה" in message["Subject"]
        db.session.expire_all()
        assert db.session.query(OutboxMessage).one().status == "sent"
    finally:
        app.config.update(SMTP_HOST=None)
        controller.stop()


@pytest.mark.smoke
def test_hebrew_rtl_by_default_and_english_switch(client, ctx):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="he" dir="rtl"' in page
    response = post_form(client, "/preferences/locale", {"locale": "en", "next": "/login"})
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in page
    assert "Log in" in page or "Sign in" in page


def test_language_and_theme_are_saved_on_the_account(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    post_form(
        client, "/preferences/theme", {"theme": "dark", "next": "/dashboard"}, page="/dashboard"
    )
    post_form(
        client, "/preferences/locale", {"locale": "en", "next": "/dashboard"}, page="/dashboard"
    )
    other = make_client()
    login(other, "owner@a.test")
    page = other.get("/dashboard").get_data(as_text=True)
    assert 'data-theme="dark"' in page and 'dir="ltr"' in page


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_404_is_a_page_and_a_fragment(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    fragment = client.get("/no/such/page", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 404 and "<html" not in body and 'id="error-fragment"' in body


def test_fonts_and_scripts_are_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "fonts.googleapis" not in page and "cdn." not in page
    css = client.get("/static/css/fonts.css").get_data(as_text=True)
    assert "Assistant" in css
    font = css.split("url(")[1].split(")")[0].strip("'\"")
    assert client.get(font if font.startswith("/") else "/static/css/" + font).status_code == 200


def test_unexpected_errors_show_a_friendly_500(app, client, monkeypatch):
    from app.core.permissions import public

    @public
    def explode():
        raise RuntimeError("kaboom")

    monkeypatch.setitem(app.view_functions, "auth.forgot_password", explode)
    monkeypatch.setitem(app.config, "PROPAGATE_UNEXPECTED", False)
    response = client.get("/auth/forgot")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "משהו השתבש" in page and "kaboom" not in page and "Traceback" not in page
