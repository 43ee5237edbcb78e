"""/admin: the platform admin's view of every tenant and user (through `unscoped()`)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.audit.services import record_audit
from app.auth.models import User
from app.auth.services import revoke_all_sessions
from app.core.navigation import register_nav
from app.core.permissions import platform_admin
from app.core.render import request_origin
from app.core.tenancy import unscoped
from app.extensions import db
from app.tenants.models import Membership, Tenant

bp = Blueprint("admin", __name__, url_prefix="/admin")
register_nav(
    _l("ניהול מערכת"),
    "admin.index",
    "shield",
    100,
    "/admin",
    visible=lambda membership, user: user.is_platform_admin,
)
PAGE_SIZE = 25


@bp.get("/")
@platform_admin
def index():
    q = (request.args.get("q") or "").strip()
    tenant_page = max(request.args.get("tenants_page", 1, type=int), 1)
    user_page = max(request.args.get("users_page", 1, type=int), 1)
    with unscoped():
        tenants_query = select(Tenant).order_by(Tenant.created_at.desc())
        users_query = select(User).order_by(User.created_at.desc())
        if q:
            like = f"%{q.lower()}%"
            tenants_query = tenants_query.where(func.lower(Tenant.name).like(like))
            users_query = users_query.where(
                or_(
                    func.lower(User.email).like(like),
                    func.lower(User.first_name + " " + User.last_name).like(like),
                )
            )
        tenants = db.paginate(tenants_query, page=tenant_page, per_page=PAGE_SIZE, error_out=False)
        users = db.paginate(users_query, page=user_page, per_page=PAGE_SIZE, error_out=False)
        member_counts = dict(
            db.session.execute(
                select(Membership.tenant_id, func.count())
                .where(
                    Membership.is_active.is_(True),
                    Membership.tenant_id.in_([t.id for t in tenants.items]),
                )
                .group_by(Membership.tenant_id)
            ).all()
        )
    return render_template(
        "admin/index.html", tenants=tenants, member_counts=member_counts, users=users, q=q
    )


@bp.post("/tenants/<uuid:tenant_id>/active")
@platform_admin
def set_tenant_active(tenant_id):
    active = request.form.get("active") == "1"
    tenant = db.session.get(Tenant, tenant_id) or abort(404)
    tenant.is_active = active
    record_audit(
        "tenant.reactivate" if active else "tenant.deactivate",
        user=current_user,
        tenant_id=tenant.id,
        entity=tenant,
        entity_name=tenant.name,
        origin=request_origin(),
    )
    db.session.commit()
    flash(
        (_("הסטודיו %(name)s הופעל.") if active else _("הסטודיו %(name)s הושבת."))
        % {"name": tenant.name},
        "success",
    )
    return redirect(url_for("admin.index"))


@bp.post("/users/<uuid:user_id>/active")
@platform_admin
def set_user_active(user_id):
    active = request.form.get("active") == "1"
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("אי אפשר להשבית את עצמך."), "error")
        return redirect(url_for("admin.index"))
    user.is_active = active
    if not active:
        revoke_all_sessions(user, reason="deactivated_by_admin")
    record_audit(
        "admin.user_reactivate" if active else "admin.user_deactivate",
        user=current_user,
        entity=user,
        entity_name=user.email,
        origin=request_origin(),
    )
    db.session.commit()
    flash(
        (_("המשתמש/ת %(email)s הופעל/ה.") if active else _("המשתמש/ת %(email)s הושבת/ה."))
        % {"email": user.email},
        "success",
    )
    return redirect(url_for("admin.index"))
