from datetime import timedelta

from app.auth.models import AuthSession, AuthToken
from app.extensions import db
from tests.conftest import PASSWORD, last_mail, link_in_mail, login, post_form
from tests.factories import make_studio


def test_magic_link_logs_in_once(client, ctx, make_client):
    make_studio(email="owner@a.test")
    response = post_form(client, "/login/magic", {"email": "owner@a.test"})
    assert "בדקו את תיבת הדואר" in response.get_data(as_text=True)
    link = link_in_mail("owner@a.test")
    assert "15 דקות" in last_mail("owner@a.test").body_text

    # opening the link (or a mail scanner prefetching it) does not use it up
    assert client.get(link).status_code == 200
    response = post_form(client, link, page=link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200

    second = make_client()
    page = second.get(link).get_data(as_text=True)
    assert "הקישור אינו תקף" in page
    response = post_form(second, link, page="/login")
    assert response.status_code == 410
    assert "כבר השתמשו בקישור" in response.get_data(as_text=True)


def test_magic_link_expires_after_15_minutes(client, ctx):
    make_studio(email="owner@a.test")
    post_form(client, "/login/magic", {"email": "owner@a.test"})
    link = link_in_mail("owner@a.test")
    token = db.session.query(AuthToken).one()
    assert timedelta(minutes=14) < token.expires_at - token.created_at <= timedelta(minutes=15)
    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    response = post_form(client, link, page="/login")
    assert response.status_code == 410
    assert "פג תוקף הקישור" in response.get_data(as_text=True)


def test_magic_link_for_unknown_email_looks_the_same_and_sends_nothing(client, ctx):
    response = post_form(client, "/login/magic", {"email": "ghost@a.test"})
    assert "בדקו את תיבת הדואר" in response.get_data(as_text=True)
    assert last_mail("ghost@a.test") is None


def test_password_reset_sets_a_new_password_and_signs_out_everywhere(client, ctx, make_client):
    make_studio(email="owner@a.test")
    other_device = make_client()
    login(other_device, "owner@a.test")
    assert other_device.get("/dashboard").status_code == 200

    post_form(client, "/auth/forgot", {"email": "owner@a.test"})
    link = link_in_mail("owner@a.test")
    token = db.session.query(AuthToken).filter_by(purpose="password_reset").one()
    assert abs(token.expires_at - token.created_at - timedelta(hours=1)) < timedelta(seconds=1)
    assert token.requested_from_ip == "127.0.0.1"

    response = post_form(client, link, {"password": "weak", "confirm": "weak"}, page=link)
    assert response.status_code == 422 and "לפחות 8 תווים" in response.get_data(as_text=True)
    response = post_form(
        client, link, {"password": "New-Secret-42", "confirm": "New-Secret-43"}, page=link
    )
    assert "הסיסמאות אינן זהות" in response.get_data(as_text=True)
    response = post_form(
        client, link, {"password": "New-Secret-42", "confirm": "New-Secret-42"}, page=link
    )
    assert response.status_code == 302

    assert other_device.get("/dashboard").status_code == 302  # signed out
    assert client.get("/dashboard").status_code == 200
    third = make_client()
    assert login(third, "owner@a.test", PASSWORD).status_code == 422
    assert login(third, "owner@a.test", "New-Secret-42").status_code == 302
    # the link is single use
    response = make_client().get(link)
    assert response.status_code == 410 and "כבר השתמשו" in response.get_data(as_text=True)
    revoked = db.session.query(AuthSession).filter_by(revoked_reason="password_reset").count()
    assert revoked == 1


def test_expired_reset_link_is_explained(client, ctx):
    make_studio(email="owner@a.test")
    post_form(client, "/auth/forgot", {"email": "owner@a.test"})
    link = link_in_mail("owner@a.test")
    token = db.session.query(AuthToken).one()
    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "פג תוקף הקישור" in response.get_data(as_text=True)


def test_garbage_link_is_explained(client, ctx):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 410
    assert "הקישור אינו תקין" in response.get_data(as_text=True)
