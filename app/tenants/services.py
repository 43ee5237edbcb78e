"""Studios and their teams: sign-up, invitations, roles and permission flags."""

import re
import secrets
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.activity.services import activity_type, record_activity
from app.audit.services import RequestInfo, record_audit
from app.auth.models import User
from app.auth.services import find_user_by_email, normalize_email, set_password
from app.configuration.defaults import create_default_configuration
from app.core.db import as_utc, utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.mail import send_mail
from app.core.tenancy import set_tenant, tenant_scope, unscoped
from app.core.tokens import hash_token, new_token
from app.extensions import db
from app.realtime import publish
from app.tenants.models import (
    PERMISSION_FLAGS,
    ROLE_DEFAULT_PERMISSIONS,
    ROLES,
    Membership,
    TeamInvitation,
    Tenant,
)

INVITATION_TTL = timedelta(days=7)


def _slugify(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "studio"
    return f"{base}-{secrets.token_hex(3)}"


def create_studio(
    *,
    studio_name: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    business_type: str = "interior_design",
    origin: RequestInfo | None = None,
) -> tuple[Tenant, User]:
    """Sign-up: a tenant with its default configuration, its owner, and the owner's account."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationFailed({"email": [_("כבר קיים חשבון עם האימייל הזה. נסו להתחבר.")]})
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    set_password(user, password, check_history=False)
    tenant = Tenant(
        name=studio_name.strip(),
        slug=_slugify(studio_name),
        email=email,
        business_type=business_type,
    )
    db.session.add_all([user, tenant])
    db.session.flush()
    set_tenant(tenant.id)
    db.session.add(
        Membership(
            tenant_id=tenant.id, user_id=user.id, role="owner", **ROLE_DEFAULT_PERMISSIONS["owner"]
        )
    )
    create_default_configuration(tenant.id)
    record_audit(
        "tenant.create",
        user=user,
        tenant_id=tenant.id,
        role="owner",
        entity=tenant,
        entity_name=tenant.name,
        origin=origin,
    )
    return tenant, user


def memberships_of(user: User, *, active_only: bool = True) -> list[Membership]:
    """Every studio the user belongs to (crosses tenants, hence unscoped)."""
    with unscoped():
        statement = (
            select(Membership)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.user_id == user.id)
            .order_by(Tenant.name)
        )
        if active_only:
            statement = statement.where(Membership.is_active.is_(True), Tenant.is_active.is_(True))
        return list(db.session.scalars(statement))


def membership_in(user: User, tenant_id) -> Membership | None:
    for membership in memberships_of(user):
        if membership.tenant_id == tenant_id:
            return membership
    return None


# --- team management ---------------------------------------------------------------------


def _audit_team(action, actor: Membership, entity, name, origin, changes=None) -> None:
    """An audit entry for something one member did to the team, and a live update of it."""
    publish("team", "entity_updated", entity_type=activity_type(entity), action=action)
    record_audit(
        action,
        user=actor.user,
        tenant_id=actor.tenant_id,
        role=actor.role,
        entity=entity,
        entity_name=name,
        changes=changes,
        origin=origin,
    )


def _require_manager_of_users(actor: Membership) -> None:
    if not actor.has("can_manage_users"):
        raise PermissionDenied(_("אין לך הרשאה לנהל משתמשים."))


def _require_can_touch(actor: Membership, role: str) -> None:
    if role == "owner" and not actor.is_owner:
        raise PermissionDenied(_("רק בעלים יכולים להקצות או לשנות תפקיד בעלים."))


def team(tenant_id) -> list[Membership]:
    with tenant_scope(tenant_id):
        return list(
            db.session.scalars(
                select(Membership)
                .join(User, User.id == Membership.user_id)
                .options(contains_eager(Membership.user))
                .order_by(Membership.is_active.desc(), User.first_name, User.last_name)
            )
        )


def pending_invitations(tenant_id) -> list[TeamInvitation]:
    with tenant_scope(tenant_id):
        invitations = list(
            db.session.scalars(
                select(TeamInvitation)
                .where(TeamInvitation.status == "pending")
                .order_by(TeamInvitation.created_at.desc())
            )
        )
    now = utcnow()
    for invitation in invitations:
        if as_utc(invitation.expires_at) <= now:
            invitation.status = "expired"
    return [i for i in invitations if i.status == "pending"]


def invite_member(
    actor: Membership, email: str, role: str, permissions: dict | None, origin: RequestInfo
) -> TeamInvitation:
    _require_manager_of_users(actor)
    _require_can_touch(actor, role)
    if role not in ROLES:
        raise ValidationFailed({"role": [_("תפקיד לא מוכר.")]})
    email = normalize_email(email)
    existing_user = find_user_by_email(email)
    if existing_user is not None:
        member = db.session.scalar(select(Membership).where(Membership.user_id == existing_user.id))
        if member is not None and member.is_active:
            raise ValidationFailed({"email": [_("%(email)s כבר חבר/ה בצוות.", email=email)]})
    for old in db.session.scalars(
        select(TeamInvitation).where(
            TeamInvitation.email == email, TeamInvitation.status == "pending"
        )
    ):
        old.status = "cancelled"
    token = new_token()
    flags = ROLE_DEFAULT_PERMISSIONS[role] | {
        k: bool(v) for k, v in (permissions or {}).items() if k in PERMISSION_FLAGS
    }
    invitation = TeamInvitation(
        tenant_id=actor.tenant_id,
        email=email,
        role=role,
        permissions=flags,
        invited_by_user_id=actor.user_id,
        token_hash=hash_token(token),
        expires_at=utcnow() + INVITATION_TTL,
        existing_user_id=existing_user.id if existing_user else None,
    )
    db.session.add(invitation)
    db.session.flush()
    send_mail(
        email,
        _("הוזמנת להצטרף ל-%(studio)s ב-Studio OS", studio=actor.tenant.name),
        "invitation",
        tenant_id=actor.tenant_id,
        invitation=invitation,
        inviter=actor.user,
        studio=actor.tenant,
        link=url_for("auth.accept_invitation", token=token, _external=True),
    )
    record_activity(actor, "created", invitation, description=email)
    _audit_team(
        "user.invite",
        actor,
        invitation,
        email,
        origin,
        [{"field": "role", "old": None, "new": role}],
    )
    return invitation


def cancel_invitation(actor: Membership, invitation: TeamInvitation, origin: RequestInfo) -> None:
    _require_manager_of_users(actor)
    if invitation.status != "pending":
        raise ValidationFailed({"invitation": [_("אפשר לבטל רק הזמנה ממתינה.")]})
    invitation.status = "cancelled"
    _audit_team("user.invite_cancel", actor, invitation, invitation.email, origin)


def find_invitation(token: str) -> TeamInvitation:
    """The invitation behind a link, from any tenant (the invitee is not a member yet)."""
    with unscoped():
        invitation = db.session.scalar(
            select(TeamInvitation).where(TeamInvitation.token_hash == hash_token(token or ""))
        )
    if invitation is None:
        raise ValidationFailed({"token": [_("ההזמנה לא נמצאה. בקשו ממי שהזמין אתכם הזמנה חדשה.")]})
    if invitation.status == "pending" and as_utc(invitation.expires_at) <= utcnow():
        with tenant_scope(invitation.tenant_id):
            invitation.status = "expired"
            db.session.flush()
    messages = {
        "accepted": _("כבר השתמשו בהזמנה הזו. התחברו כדי להיכנס לסטודיו."),
        "expired": _("פג תוקף ההזמנה (היא בתוקף 7 ימים). בקשו הזמנה חדשה."),
        "cancelled": _("ההזמנה בוטלה. פנו למי שהזמין אתכם."),
    }
    if invitation.status in messages:
        raise ValidationFailed({"token": [messages[invitation.status]]})
    return invitation


def accept_invitation(
    invitation: TeamInvitation,
    user: User | None,
    origin: RequestInfo,
    *,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> tuple[User, Membership]:
    """Join the studio: an existing account is added; a new person gets a short sign-up."""
    if user is None:
        if find_user_by_email(invitation.email) is not None:
            raise ValidationFailed(
                {"email": [_("כבר יש חשבון עם האימייל הזה: התחברו כדי לקבל את ההזמנה.")]}
            )
        user = User(
            email=invitation.email, first_name=first_name.strip(), last_name=last_name.strip()
        )
        set_password(user, password, check_history=False)
        db.session.add(user)
        db.session.flush()
    elif normalize_email(user.email) != invitation.email:
        raise PermissionDenied(
            _(
                "ההזמנה נשלחה ל-%(email)s. התחברו עם החשבון הזה כדי לקבל אותה.",
                email=invitation.email,
            )
        )
    with tenant_scope(invitation.tenant_id):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        flags = {k: bool(invitation.permissions.get(k)) for k in PERMISSION_FLAGS}
        if membership is None:
            membership = Membership(tenant_id=invitation.tenant_id, user_id=user.id)
            db.session.add(membership)
        membership.role = invitation.role
        membership.is_active = True
        for flag, value in flags.items():
            setattr(membership, flag, value)
        invitation.status = "accepted"
        invitation.accepted_at = utcnow()
        publish("team", "entity_updated", entity_type="membership", action="user.invite_accept")
        record_audit(
            "user.invite_accept",
            user=user,
            tenant_id=invitation.tenant_id,
            role=invitation.role,
            entity=invitation,
            entity_name=invitation.email,
            origin=origin,
        )
        db.session.flush()
    return user, membership


def _active_owner_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.role == "owner", Membership.is_active.is_(True))
    )


def update_member(
    actor: Membership, member: Membership, role: str, flags: dict, origin: RequestInfo
) -> list[dict]:
    """Change a member's role and permission flags; returns the field changes."""
    _require_manager_of_users(actor)
    if role not in ROLES:
        raise ValidationFailed({"role": [_("תפקיד לא מוכר.")]})
    _require_can_touch(actor, role)
    _require_can_touch(actor, member.role)
    if member.role == "owner" and role != "owner" and _active_owner_count() <= 1:
        raise ValidationFailed({"role": [_("בסטודיו חייב להיות לפחות בעלים פעיל אחד.")]})
    changes = []
    if role != member.role:
        changes.append({"field": "role", "old": member.role, "new": role})
        member.role = role
    new_flags = ROLE_DEFAULT_PERMISSIONS["owner"] if role == "owner" else flags
    for flag in PERMISSION_FLAGS:
        new_value = bool(new_flags.get(flag))
        if getattr(member, flag) != new_value:
            changes.append({"field": flag, "old": getattr(member, flag), "new": new_value})
            setattr(member, flag, new_value)
    if changes:
        record_activity(
            actor,
            "updated",
            member,
            changes={c["field"]: {"old": c["old"], "new": c["new"]} for c in changes},
        )
        role_changed = any(c["field"] == "role" for c in changes)
        action = "user.role_change" if role_changed else "user.permissions_change"
        _audit_team(action, actor, member, member.user.email, origin, changes)
    return changes


def set_member_active(
    actor: Membership, member: Membership, active: bool, origin: RequestInfo
) -> None:
    _require_manager_of_users(actor)
    _require_can_touch(actor, member.role)
    if member.id == actor.id:
        raise ValidationFailed({"member": [_("אי אפשר להשבית את עצמך.")]})
    if not active and member.role == "owner" and _active_owner_count() <= 1:
        raise ValidationFailed({"member": [_("בסטודיו חייב להיות לפחות בעלים פעיל אחד.")]})
    member.is_active = active
    action = "user.reactivate" if active else "user.deactivate"
    record_activity(
        actor, "updated", member, changes={"is_active": {"old": not active, "new": active}}
    )
    _audit_team(action, actor, member, member.user.email, origin)
