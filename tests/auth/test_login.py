from datetime import timedelta

import pytest

from app.audit.models import AuditLog
from app.auth.models import AuthSession, User
from app.extensions import db
from tests.conftest import PASSWORD, login, post_form
from tests.factories import make_studio


@pytest.mark.smoke
def test_password_login_lands_on_dashboard(client, ctx):
    make_studio(name="סטודיו אלף", email="owner@a.test")
    response = login(client, "owner@a.test")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "סטודיו אלף" in page
    assert db.session.query(AuditLog).filter_by(action="auth.login").count() == 1


def test_wrong_password_says_so_and_keeps_email(client, ctx):
    make_studio(email="owner@a.test")
    response = login(client, "owner@a.test", "Wrong-Pass-1")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "האימייל או הסיסמה שגויים" in page
    assert 'value="owner@a.test"' in page
    assert client.get("/dashboard").status_code == 302


def test_five_failures_lock_the_account_for_15_minutes(client, ctx):
    make_studio(email="owner@a.test")
    for _ in range(4):
        login(client, "owner@a.test", "Wrong-Pass-1")
    response = login(client, "owner@a.test", "Wrong-Pass-1")
    assert "ננעל זמנית" in response.get_data(as_text=True)
    # even the right password is refused while locked
    response = login(client, "owner@a.test", PASSWORD)
    assert response.status_code == 422
    assert "נסו שוב בעוד 15 דקות" in response.get_data(as_text=True)
    user = db.session.query(User).filter_by(email="owner@a.test").one()
    assert db.session.query(AuditLog).filter_by(action="auth.lockout", user_id=user.id).count() == 1
    # after 15 minutes the account opens again
    user.locked_until = user.locked_until - timedelta(minutes=15, seconds=1)
    db.session.commit()
    assert login(client, "owner@a.test", PASSWORD).status_code == 302


def test_unknown_email_gets_the_same_message(client, ctx):
    response = login(client, "nobody@a.test", "Wrong-Pass-1")
    assert "האימייל או הסיסמה שגויים" in response.get_data(as_text=True)
    entry = db.session.query(AuditLog).filter_by(action="auth.login_failed").one()
    assert entry.status == "failure" and entry.user_email == "nobody@a.test"


def test_deactivated_user_cannot_log_in(client, ctx):
    _tenant, owner = make_studio(email="owner@a.test")
    owner.is_active = False
    db.session.commit()
    response = login(client, "owner@a.test")
    assert "החשבון הושבת" in response.get_data(as_text=True)


def test_missing_csrf_token_gets_a_clear_page(client, ctx):
    make_studio(email="owner@a.test")
    response = client.post("/login", data={"email": "owner@a.test", "password": PASSWORD})
    assert response.status_code == 400
    assert "רעננו את הדף" in response.get_data(as_text=True)


def test_logout_ends_the_server_session(client, ctx):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    response = post_form(client, "/logout", page="/dashboard")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    record = db.session.query(AuthSession).one()
    assert not record.is_active and record.revoked_reason == "logout"


def test_remember_me_sets_a_30_day_session(client, ctx):
    make_studio(email="owner@a.test")
    response = login(client, "owner@a.test", remember="y")
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie
    record = db.session.query(AuthSession).one()
    assert record.remember
    assert record.expires_at - record.created_at > timedelta(days=29)


def test_next_parameter_is_followed_only_within_the_site(client, ctx):
    make_studio(email="owner@a.test")
    response = login(client, "owner@a.test", next="https://evil.example/steal")
    assert response.headers["Location"].endswith("/dashboard")
    client2 = client.application.test_client()
    response = login(client2, "owner@a.test", next="/settings/security")
    assert response.headers["Location"].endswith("/settings/security")


def test_login_is_rate_limited(client, ctx):
    for _ in range(10):
        login(client, "nobody@a.test", "Wrong-Pass-1")
    response = login(client, "nobody@a.test", "Wrong-Pass-1")
    assert response.status_code == 429
    assert "יותר מדי" in response.get_data(as_text=True)
