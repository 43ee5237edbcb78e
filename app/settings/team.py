"""צוות: the studio's people, their roles and permissions, and invitations."""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.forms import run_service
from app.core.permissions import member_of_tenant
from app.core.render import render, request_origin
from app.extensions import db
from app.settings import bp
from app.settings.forms import InviteForm, MemberForm
from app.settings.index import can_view_team
from app.tenants import services as tenants
from app.tenants.models import ROLE_DEFAULT_PERMISSIONS, Membership, TeamInvitation


def _require_team_view():
    if not can_view_team(g.membership):
        abort(403)


def _member_or_404(member_id) -> Membership:
    member = db.session.scalar(select(Membership).where(Membership.id == member_id))
    return member or abort(404)


def _page(invite_form=None, status=200):
    membership = g.membership
    return render(
        "settings/users.html",
        invite_form=invite_form or InviteForm(),
        members=tenants.team(membership.tenant_id),
        invitations=tenants.pending_invitations(membership.tenant_id),
        can_manage=membership.has("can_manage_users"),
        role_defaults=ROLE_DEFAULT_PERMISSIONS,
        status=status,
    )


@bp.get("/users")
@member_of_tenant()
def users():
    _require_team_view()
    return _page()


@bp.post("/users/invite")
@member_of_tenant("can_manage_users")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        flags = form.flags() if form.custom_permissions.data else None
        ok, invitation = run_service(
            form,
            lambda: tenants.invite_member(
                g.membership, form.email.data, form.role.data, flags, request_origin()
            ),
        )
        if ok:
            db.session.commit()
            flash(_("ההזמנה נשלחה אל %(email)s (בתוקף 7 ימים).", email=invitation.email), "success")
            return redirect(url_for("settings.users"))
    return _page(form, status=422)


@bp.post("/users/invitations/<uuid:invitation_id>/cancel")
@member_of_tenant("can_manage_users")
def cancel_invitation(invitation_id):
    invitation = db.session.scalar(select(TeamInvitation).where(TeamInvitation.id == invitation_id))
    if invitation is None:
        abort(404)
    try:
        tenants.cancel_invitation(g.membership, invitation, request_origin())
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.messages[0], "error")
    else:
        db.session.commit()
        flash(_("ההזמנה אל %(email)s בוטלה.", email=invitation.email), "success")
    return redirect(url_for("settings.users"))


@bp.route("/users/<uuid:member_id>", methods=["GET", "POST"])
@member_of_tenant("can_manage_users")
def edit_member(member_id):
    member = _member_or_404(member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit():
        ok, changes = run_service(
            form,
            lambda: tenants.update_member(
                g.membership, member, form.role.data, form.flags(), request_origin()
            ),
        )
        if ok:
            db.session.commit()
            flash(
                _("ההרשאות של %(name)s עודכנו.", name=member.user.full_name)
                if changes
                else _("לא היה מה לעדכן."),
                "success" if changes else "info",
            )
            return redirect(url_for("settings.users"))
    return render(
        "settings/member.html",
        member=member,
        form=form,
        role_defaults=ROLE_DEFAULT_PERMISSIONS,
        status=422 if form.errors else 200,
    )


@bp.post("/users/<uuid:member_id>/active")
@member_of_tenant("can_manage_users")
def set_active(member_id):
    member = _member_or_404(member_id)
    active = request.form.get("active") == "1"
    try:
        tenants.set_member_active(g.membership, member, active, request_origin())
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.messages[0], "error")
    else:
        db.session.commit()
        message = (
            _("%(name)s הופעל/ה מחדש.")
            if active
            else _("%(name)s הושבת/ה ולא יוכל/תוכל להיכנס לסטודיו.")
        )
        flash(message % {"name": member.user.full_name}, "success")
    return redirect(url_for("settings.users"))
