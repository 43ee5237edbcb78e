"""Starting the studio data export (the job itself is `jobs.exports.export_tenant_data`)."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record_audit
from app.core.errors import PermissionDenied
from app.extensions import db
from app.jobs.models import JobRun
from app.jobs.services import enqueue

EXPORT_KIND = "data_export"
EXPORT_FUNC = "jobs.exports.export_tenant_data"


def can_export_data(member) -> bool:
    return member is not None and member.is_owner


def start_data_export(actor, origin=None) -> JobRun:
    """Queue an export for the actor's studio (owners only); an unfinished one is reused."""
    if not can_export_data(actor):
        raise PermissionDenied(_("רק בעלי הסטודיו יכולים לייצא את כל הנתונים."))
    pending = db.session.scalar(
        select(JobRun)
        .where(JobRun.kind == EXPORT_KIND, JobRun.status.in_(("queued", "running")))
        .order_by(JobRun.created_at.desc())
        .limit(1)
    )
    if pending is not None:
        return pending
    run = enqueue(
        actor,
        EXPORT_KIND,
        EXPORT_FUNC,
        queue="low",
        owners_only=True,
        message=_("הייצוא ממתין בתור…"),
    )
    record_audit(
        "data.export",
        user=actor.user,
        tenant_id=actor.tenant_id,
        role=actor.role,
        entity=run,
        entity_type="job_run",
        entity_name=_("ייצוא כל נתוני הסטודיו"),
        origin=origin,
    )
    return run
