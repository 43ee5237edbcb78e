from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership, TeamInvitation
from tests.conftest import link_in_mail, login, post_form
from tests.factories import add_member, make_studio

INVITE = "/settings/users/invite"


def test_owner_invites_a_new_person_who_signs_up_and_joins(client, ctx, make_client):
    tenant, _owner = make_studio(name="סטודיו אלף", email="owner@a.test")
    login(client, "owner@a.test")
    response = post_form(
        client, INVITE, {"email": "new@a.test", "role": "manager"}, page="/settings/users"
    )
    assert response.status_code == 302
    assert "new@a.test" in client.get("/settings/users").get_data(as_text=True)
    link = link_in_mail("new@a.test")

    invitee = make_client()
    page = invitee.get(link).get_data(as_text=True)
    assert "הצטרפות ל-סטודיו אלף" in page
    response = post_form(
        invitee,
        "/invite/accept",
        {
            "token": link.split("token=")[1],
            "first_name": "גל",
            "last_name": "שחר",
            "password": "Joined-Team-8",
        },
        page=link,
    )
    assert response.status_code == 302
    assert "סטודיו אלף" in invitee.get("/dashboard").get_data(as_text=True)

    with tenant_scope(tenant.id):
        invitation = db.session.scalar(select(TeamInvitation))
        member = db.session.scalars(select(Membership).where(Membership.role == "manager")).one()
    assert invitation.status == "accepted" and invitation.accepted_at
    assert member.can_access_all_projects and not member.can_delete_records
    assert db.session.query(AuditLog).filter_by(action="user.invite").count() == 1


def test_invitation_expires_after_7_days(client, ctx, make_client):
    tenant, _owner = make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    post_form(client, INVITE, {"email": "late@a.test", "role": "member"}, page="/settings/users")
    link = link_in_mail("late@a.test")
    with tenant_scope(tenant.id):
        invitation = db.session.scalar(select(TeamInvitation))
        assert abs(invitation.expires_at - invitation.created_at - timedelta(days=7)) < timedelta(
            seconds=1
        )
        invitation.expires_at = invitation.created_at - timedelta(seconds=1)
        db.session.commit()
    response = make_client().get(link)
    assert response.status_code == 410
    assert "פג תוקף ההזמנה" in response.get_data(as_text=True)


def test_cancelled_invitation_link_stops_working(client, ctx, make_client):
    tenant, _owner = make_studio(email="owner@a.test")
    login(client, "owner@a.test")
    post_form(client, INVITE, {"email": "x@a.test", "role": "member"}, page="/settings/users")
    link = link_in_mail("x@a.test")
    with tenant_scope(tenant.id):
        invitation_id = db.session.scalar(select(TeamInvitation.id))
    post_form(client, f"/settings/users/invitations/{invitation_id}/cancel", page="/settings/users")
    response = make_client().get(link)
    assert response.status_code == 410 and "ההזמנה בוטלה" in response.get_data(as_text=True)


def test_existing_user_joins_a_second_studio_and_switches(client, ctx, make_client):
    tenant_a, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    make_studio(name="סטודיו בית", email="owner@b.test")
    login(client, "owner@a.test")
    post_form(client, INVITE, {"email": "owner@b.test", "role": "member"}, page="/settings/users")
    link = link_in_mail("owner@b.test")

    b = make_client()
    login(b, "owner@b.test")
    response = post_form(b, "/invite/accept", {"token": link.split("token=")[1]}, page=link)
    assert response.status_code == 302
    page = b.get("/dashboard").get_data(as_text=True)
    assert "סטודיו אלף" in page  # the invitation switches to the new studio
    response = post_form(
        b, "/switch-studio", {"tenant_id": str(_tenant_id(b, "סטודיו בית"))}, page="/dashboard"
    )
    assert response.status_code == 302
    assert "סטודיו בית" in b.get("/dashboard").get_data(as_text=True)


def _tenant_id(client, name):
    from app.tenants.models import Tenant

    return db.session.scalar(select(Tenant.id).where(Tenant.name == name))


def test_switching_to_a_studio_you_do_not_belong_to_is_404(client, ctx):
    make_studio(email="owner@a.test")
    other, _ = make_studio(name="זר", email="owner@b.test")
    login(client, "owner@a.test")
    response = post_form(client, "/switch-studio", {"tenant_id": str(other.id)}, page="/dashboard")
    assert response.status_code == 404


def test_inviting_an_existing_member_is_refused(client, ctx):
    tenant, _ = make_studio(email="owner@a.test")
    add_member(tenant, "m@a.test", "member")
    login(client, "owner@a.test")
    response = post_form(
        client, INVITE, {"email": "m@a.test", "role": "member"}, page="/settings/users"
    )
    assert response.status_code == 422
    assert "כבר חבר/ה בצוות" in response.get_data(as_text=True)


def test_invitation_for_someone_else_cannot_be_taken(client, ctx, make_client):
    make_studio(email="owner@a.test")
    make_studio(name="ב", email="owner@b.test")
    login(client, "owner@a.test")
    post_form(client, INVITE, {"email": "target@a.test", "role": "member"}, page="/settings/users")
    link = link_in_mail("target@a.test")
    intruder = make_client()
    login(intruder, "owner@b.test")
    response = post_form(intruder, "/invite/accept", {"token": link.split("token=")[1]}, page=link)
    assert response.status_code == 403
