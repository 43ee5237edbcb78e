import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership
from tests.conftest import login, post_form
from tests.factories import add_member, make_studio


@pytest.fixture
def studio(ctx):
    tenant, owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    manager = add_member(tenant, "manager@a.test", "manager")
    member = add_member(tenant, "member@a.test", "member")
    return tenant, manager, member


# (role, page, expected status) for every settings page and every role
MATRIX = [
    ("owner", "/settings/users", 200),
    ("manager", "/settings/users", 200),
    ("member", "/settings/users", 403),
    ("owner", "/settings/security", 200),
    ("manager", "/settings/security", 200),
    ("member", "/settings/security", 200),
]


@pytest.mark.parametrize(("role", "page", "status"), MATRIX)
def test_settings_permission_matrix_for_pages(client, studio, role, page, status):
    login(client, f"{role}@a.test")
    assert client.get(page).status_code == status


@pytest.mark.parametrize("role", ["manager", "member"])
def test_only_users_managers_can_invite_edit_or_deactivate(client, studio, role):
    tenant, manager, member = studio
    login(client, f"{role}@a.test")
    target = member if role == "manager" else manager
    assert (
        post_form(
            client,
            "/settings/users/invite",
            {"email": "z@a.test", "role": "member"},
            page="/settings/security",
        ).status_code
        == 403
    )
    assert client.get(f"/settings/users/{target.id}").status_code == 403
    assert (
        post_form(
            client, f"/settings/users/{target.id}", {"role": "owner"}, page="/settings/security"
        ).status_code
        == 403
    )
    assert (
        post_form(
            client,
            f"/settings/users/{target.id}/active",
            {"active": "0"},
            page="/settings/security",
        ).status_code
        == 403
    )
    page = client.get("/settings/users").get_data(as_text=True) if role == "manager" else ""
    assert "שליחת הזמנה" not in page


def test_manager_sees_the_team_read_only(client, studio):
    login(client, "manager@a.test")
    page = client.get("/settings/users").get_data(as_text=True)
    assert "member@a.test" in page and "owner@a.test" in page
    assert "עריכה" not in page


def test_owner_changes_role_and_flags(client, studio):
    tenant, manager, member = studio
    login(client, "owner@a.test")
    response = post_form(
        client,
        f"/settings/users/{member.id}",
        {"role": "manager", "can_view_financials": "y", "can_delete_records": "y"},
        page=f"/settings/users/{member.id}",
    )
    assert response.status_code == 302
    with tenant_scope(tenant.id):
        db.session.refresh(member)
    assert member.role == "manager" and member.can_delete_records and not member.can_manage_users
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.role_change")).one()
    assert {"field": "role", "old": "member", "new": "manager"} in entry.changes


def test_user_manager_flag_lets_a_manager_manage_but_not_owners(client, studio):
    tenant, manager, member = studio
    with tenant_scope(tenant.id):
        manager.can_manage_users = True
        db.session.commit()
    login(client, "manager@a.test")
    assert (
        post_form(
            client, f"/settings/users/{member.id}", {"role": "owner"}, page="/settings/users"
        ).status_code
        == 403
    )
    response = post_form(
        client,
        f"/settings/users/{member.id}",
        {"role": "member", "can_view_financials": "y"},
        page="/settings/users",
    )
    assert response.status_code == 302


def test_deactivated_member_loses_access(client, studio, make_client):
    tenant, manager, member = studio
    member_browser = make_client()
    login(member_browser, "member@a.test")
    assert member_browser.get("/dashboard").status_code == 200
    login(client, "owner@a.test")
    response = post_form(
        client, f"/settings/users/{member.id}/active", {"active": "0"}, page="/settings/users"
    )
    assert response.status_code == 302
    response = member_browser.get("/dashboard")
    assert response.status_code == 302 and "/no-studio" in response.headers["Location"]
    assert db.session.query(AuditLog).filter_by(action="user.deactivate").count() == 1


def test_last_owner_cannot_be_demoted_or_deactivate_self(client, studio):
    tenant, _manager, _member = studio
    with tenant_scope(tenant.id):
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner"))
    login(client, "owner@a.test")
    response = post_form(
        client, f"/settings/users/{owner.id}/active", {"active": "0"}, page="/settings/users"
    )
    assert response.status_code == 302
    assert "אי אפשר להשבית את עצמך" in client.get("/settings/users").get_data(as_text=True)
    response = post_form(
        client, f"/settings/users/{owner.id}", {"role": "member"}, page="/settings/users"
    )
    assert response.status_code == 422
    assert "לפחות בעלים פעיל אחד" in response.get_data(as_text=True)


def test_other_tenants_member_is_404(client, studio):
    other, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    stranger = add_member(other, "s@b.test", "member")
    login(client, "owner@a.test")
    assert client.get(f"/settings/users/{stranger.id}").status_code == 404
    assert (
        post_form(
            client, f"/settings/users/{stranger.id}/active", {"active": "0"}, page="/settings/users"
        ).status_code
        == 404
    )
    assert "s@b.test" not in client.get("/settings/users").get_data(as_text=True)
