"""Deny by default: every endpoint declares who may call it, and the declarations hold."""

import pytest

from app.core.permissions import declared_access

# Endpoints anyone may open, signed in or not. Adding to this list is a security decision.
PUBLIC_ENDPOINTS = {
    "health.healthz",
    "auth.signup",
    "auth.login",
    "auth.magic_link_request",
    "auth.magic_login",
    "auth.two_factor_login",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
    "prefs.set_theme",
    "prefs.set_locale",
    "dashboard.home",
    "dev.mail",
    "dev.mail_message",
    "files.signed",  # signed, expiring links that leave the app (e-mails)
}


def test_every_endpoint_declares_access(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and declared_access(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_only_listed_endpoints_are_public(app):
    public = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and declared_access(app.view_functions[rule.endpoint]) == "public"
    }
    assert public == PUBLIC_ENDPOINTS


def _concrete_urls(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        if rule.websocket:  # checked over a real socket in tests/realtime
            continue
        values = {arg: "00000000-0000-0000-0000-000000000000" for arg in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_non_public_endpoints_turn_strangers_away(app):
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for endpoint, method, url in _concrete_urls(app):
            response = client.open(url, method=method)
            assert response.status_code in (302, 401, 404), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"], endpoint
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_undeclared_view_is_refused(app):
    from flask import Flask

    probe = Flask(__name__)
    from app.core.permissions import enforce_declarations

    enforce_declarations(probe)
    probe.add_url_rule("/naked", "naked", lambda: "open")
    assert probe.test_client().get("/naked").status_code == 403


@pytest.mark.parametrize("path", ["/admin/"])
def test_admin_is_invisible_to_studio_owners(client, ctx, path):
    from tests.conftest import login
    from tests.factories import make_studio

    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    assert client.get(path).status_code == 404
