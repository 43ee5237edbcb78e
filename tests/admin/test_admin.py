import pytest

from app.auth.models import AuthSession, User
from app.extensions import db
from tests.conftest import login, post_form
from tests.factories import make_studio, make_user


@pytest.fixture
def admin_client(client, ctx):
    make_user("admin@x.test", is_platform_admin=True)
    login(client, "admin@x.test")
    return client


def test_admin_lists_every_tenant_and_user(admin_client):
    make_studio(name="סטודיו אלף", email="owner@a.test")
    make_studio(name="סטודיו בית", email="owner@b.test")
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "סטודיו אלף" in page and "סטודיו בית" in page
    assert "owner@a.test" in page and "owner@b.test" in page
    page = admin_client.get("/admin/?q=בית").get_data(as_text=True)
    assert "סטודיו בית" in page and "סטודיו אלף" not in page


def test_admin_lands_on_admin_after_login(admin_client):
    response = admin_client.get("/dashboard")
    assert response.status_code == 302
    assert admin_client.get(response.headers["Location"]).headers["Location"].endswith("/admin/")


def test_deactivating_a_tenant_locks_its_team_out(admin_client, make_client):
    tenant, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    owner = make_client()
    login(owner, "owner@a.test")
    assert owner.get("/dashboard").status_code == 200
    response = post_form(
        admin_client, f"/admin/tenants/{tenant.id}/active", {"active": "0"}, page="/admin/"
    )
    assert response.status_code == 302
    assert "/no-studio" in owner.get("/dashboard").headers["Location"]
    post_form(admin_client, f"/admin/tenants/{tenant.id}/active", {"active": "1"}, page="/admin/")
    assert owner.get("/dashboard").status_code == 200


def test_deactivating_a_user_signs_them_out(admin_client, make_client):
    make_studio(email="owner@a.test")
    owner = make_client()
    login(owner, "owner@a.test")
    user = db.session.query(User).filter_by(email="owner@a.test").one()
    post_form(admin_client, f"/admin/users/{user.id}/active", {"active": "0"}, page="/admin/")
    assert owner.get("/dashboard").status_code == 302
    assert db.session.query(AuthSession).filter_by(user_id=user.id, is_active=True).count() == 0
    assert "החשבון הושבת" in login(make_client(), "owner@a.test").get_data(as_text=True)
