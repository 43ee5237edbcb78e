from app.auth.models import AuthSession
from app.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_studio

PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def test_sessions_page_lists_devices_and_revokes_one(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    phone = make_client()
    phone.environ_base["HTTP_USER_AGENT"] = PHONE_UA
    login(phone, "owner@a.test")

    page = client.get("/settings/security").get_data(as_text=True)
    assert "טלפון" in page and "Mobile Safari" in page and "127.0.0.1" in page
    assert "המכשיר הזה" in page

    phone_session = db.session.query(AuthSession).filter_by(device_type="mobile").one()
    assert phone_session.os.startswith("iOS")
    response = post_form(
        client, f"/settings/security/sessions/{phone_session.id}/revoke", page="/settings/security"
    )
    assert response.status_code == 302
    assert phone.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200
    db.session.refresh(phone_session)
    assert phone_session.revoked_reason == "revoked_by_user"


def test_cannot_revoke_someone_elses_session(client, ctx, make_client):
    make_studio(email="owner@a.test")
    make_studio(name="סטודיו ב", email="owner@b.test")
    other = make_client()
    login(other, "owner@b.test")
    foreign = db.session.query(AuthSession).one()
    login(client, "owner@a.test")
    post_form(client, f"/settings/security/sessions/{foreign.id}/revoke", page="/settings/security")
    db.session.refresh(foreign)
    assert foreign.is_active
    assert other.get("/dashboard").status_code == 200


def test_at_most_five_concurrent_sessions(client, ctx, make_client):
    make_studio(email="owner@a.test")
    browsers = [make_client() for _ in range(6)]
    for browser in browsers:
        login(browser, "owner@a.test")
    assert db.session.query(AuthSession).filter_by(is_active=True).count() == 5
    assert browsers[0].get("/dashboard").status_code == 302
    assert browsers[-1].get("/dashboard").status_code == 200


def test_password_change_signs_out_other_devices(client, ctx, make_client):
    make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    other = make_client()
    login(other, "owner@a.test")
    response = post_form(
        client,
        "/settings/security/password",
        {
            "current_password": "Correct-Horse-9",
            "password": "Fresh-Start-55",
            "confirm": "Fresh-Start-55",
        },
        page="/settings/security",
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
