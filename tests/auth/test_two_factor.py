import re
import time
from datetime import timedelta

import pyotp

from app.audit.models import AuditLog
from app.auth.models import BackupCode, TwoFactorChallenge, User
from app.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_studio

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def next_code(secret: str) -> str:
    """The code of the next 30-second step (accepted for clock drift, not yet used)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enable_2fa(client) -> tuple[str, list[str]]:
    post_form(client, "/settings/security/2fa/start", page="/settings/security")
    page = client.get("/settings/security").get_data(as_text=True)
    assert "<svg" in page  # the QR code
    secret = SECRET_RE.search(page).group(1)
    response = post_form(
        client,
        "/settings/security/2fa/enable",
        {"enable-code": pyotp.TOTP(secret).now()},
        page="/settings/security",
    )
    page = response.get_data(as_text=True)
    assert "אימות דו-שלבי הופעל" in page or "שמרו את קודי הגיבוי" in page
    codes = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>", page)
    return secret, codes


def test_enable_2fa_then_login_needs_a_code(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    secret, codes = enable_2fa(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    # shown once: the next visit does not show them again
    assert not re.findall(
        r"<code>[a-z0-9]{4}-[a-z0-9]{4}</code>",
        client.get("/settings/security").get_data(as_text=True),
    )

    browser = make_client()
    response = login(browser, "owner@a.test")
    assert response.headers["Location"].endswith("/login/2fa")
    assert browser.get("/dashboard").status_code == 302  # not signed in yet
    response = post_form(browser, "/login/2fa", {"code": "000000"}, page="/login/2fa")
    assert "הקוד שגוי. נותרו 4 ניסיונות" in response.get_data(as_text=True)
    # the code that turned 2FA on cannot be replayed; the next one works
    response = post_form(
        browser, "/login/2fa", {"code": pyotp.TOTP(secret).now()}, page="/login/2fa"
    )
    assert response.status_code == 422
    response = post_form(browser, "/login/2fa", {"code": next_code(secret)}, page="/login/2fa")
    assert response.status_code == 302 and browser.get("/dashboard").status_code == 200
    assert db.session.query(AuditLog).filter_by(action="auth.2fa_enable").count() == 1


def test_backup_code_works_once(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    _secret, codes = enable_2fa(client)

    first = make_client()
    login(first, "owner@a.test")
    response = post_form(first, "/login/2fa", {"code": codes[0].upper()}, page="/login/2fa")
    assert response.status_code == 302

    second = make_client()
    login(second, "owner@a.test")
    response = post_form(second, "/login/2fa", {"code": codes[0]}, page="/login/2fa")
    assert response.status_code == 422
    assert db.session.query(BackupCode).filter(BackupCode.used_at.isnot(None)).count() == 1


def test_challenge_allows_five_attempts_and_expires(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    secret, _codes = enable_2fa(client)

    browser = make_client()
    login(browser, "owner@a.test")
    for _ in range(4):
        post_form(browser, "/login/2fa", {"code": "111111"}, page="/login/2fa")
    response = post_form(browser, "/login/2fa", {"code": "111111"}, page="/login/2fa")
    assert response.headers["Location"].endswith("/login")
    # the challenge is spent: even the right code no longer works on it
    response = browser.get("/login/2fa")
    assert response.headers["Location"].endswith("/login")

    late = make_client()
    login(late, "owner@a.test")
    challenge = (
        db.session.query(TwoFactorChallenge).order_by(TwoFactorChallenge.created_at.desc()).first()
    )
    challenge.expires_at = challenge.created_at - timedelta(seconds=1)
    db.session.commit()
    response = late.get("/login/2fa")
    assert response.headers["Location"].endswith("/login")


def test_wrong_code_when_enabling_changes_nothing(client, ctx):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    post_form(client, "/settings/security/2fa/start", page="/settings/security")
    response = post_form(
        client,
        "/settings/security/2fa/enable",
        {"enable-code": "123456"},
        page="/settings/security",
    )
    assert response.status_code == 422
    assert "הקוד שגוי" in response.get_data(as_text=True)
    assert db.session.query(User).one().totp_enabled_at is None


def test_disable_2fa_requires_a_code(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    secret, _codes = enable_2fa(client)
    response = post_form(
        client,
        "/settings/security/2fa/disable",
        {"disable-code": "999999"},
        page="/settings/security",
    )
    assert response.status_code == 422
    response = post_form(
        client,
        "/settings/security/2fa/disable",
        {"disable-code": next_code(secret)},
        page="/settings/security",
    )
    assert response.status_code == 302
    assert login(make_client(), "owner@a.test").headers["Location"].endswith("/dashboard")
    assert db.session.query(BackupCode).count() == 0
