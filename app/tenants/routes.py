"""Switching between the studios a user belongs to."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from app.core.permissions import signed_in
from app.extensions import db

bp = Blueprint("tenants", __name__)


@bp.post("/switch-studio")
@signed_in
def switch():
    tenant_id = request.form.get("tenant_id", "")
    target = next((m for m in g.memberships if str(m.tenant_id) == tenant_id), None)
    if target is None:
        abort(404)
    name = target.tenant.name  # read before the commit: afterwards RLS still scopes the old studio
    g.auth_session.current_tenant_id = target.tenant_id
    db.session.commit()
    flash(_("עברת לסטודיו %(name)s.", name=name), "success")
    return redirect(url_for("dashboard.index"))
