"""Starting background jobs: `enqueue` records a JobRun and runs it after the commit.

    from app.jobs.services import enqueue
    run = enqueue(g.membership, "data_export", "jobs.exports.export_tenant_data", queue="low")
    db.session.commit()          # the job starts only now (RQ, or inline without Redis)

A job function takes ids (strings) and a keyword-only `progress(percent, message)` callback,
and may return a `JobResult` naming the file it stored; see `jobs/runner.py`.
"""

import contextvars
import logging
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.core.after_commit import after_commit
from app.extensions import db
from app.jobs.models import QUEUES, JobRun

log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure the user should read: `message` is shown as is (Hebrew)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobResult:
    """What a job produced: a file in storage, kept for `expires_in_hours` (None = forever)."""

    file_key: str
    file_name: str
    content_type: str = "application/octet-stream"
    size: int | None = None
    expires_in_hours: int | None = 24
    message: str | None = None


def jobs_run_inline(config=None) -> bool:
    config = config or current_app.config
    setting = str(config.get("JOBS_INLINE", "auto")).lower()
    if setting in ("1", "true", "yes", "on"):
        return True
    if setting in ("0", "false", "no", "off"):
        return False
    return not config.get("REDIS_URL")


def enqueue(
    actor,
    kind: str,
    func_path: str,
    *ids,
    queue: str = "default",
    owners_only: bool = False,
    message: str | None = None,
) -> JobRun:
    """Record a queued JobRun for `actor`'s tenant; the job runs after the commit.

    `actor` is a Membership (or None for system jobs with a tenant in scope).
    """
    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}; use one of {QUEUES}")
    if "." not in func_path:
        raise ValueError("func_path must be 'module.function'")
    run = JobRun(
        kind=kind,
        func_path=func_path,
        args=[str(i) for i in ids],
        queue=queue,
        status="queued",
        progress=0,
        message=message,
        owners_only=owners_only,
        created_by_user_id=getattr(actor, "user_id", None),
    )
    if actor is not None:
        run.tenant_id = actor.tenant_id
    db.session.add(run)
    db.session.flush()
    app = current_app._get_current_object()
    run_id = str(run.id)
    after_commit(lambda: dispatch(app, run_id, queue))
    return run


def dispatch(app, run_id: str, queue: str = "default") -> None:
    """Hand a committed JobRun to RQ, or run it right here when jobs run inline."""
    if jobs_run_inline(app.config):
        from jobs.runner import execute

        # A fresh context: the job gets its own app context, DB session and tenant scope,
        # untouched by (and not touching) the request that started it.
        contextvars.Context().run(execute, app, run_id)
        return
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(app.config["REDIS_URL"])
    Queue(queue, connection=connection).enqueue_call(
        "jobs.runner.run_job",
        args=(run_id,),
        job_id=f"jobrun-{run_id}",
        timeout=app.config.get("JOB_TIMEOUT", 3600),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def job_for(member, job_id) -> JobRun | None:
    """The JobRun if `member` may see it: its creator, or an owner of the tenant."""
    try:
        job_uuid = uuid.UUID(str(job_id))
    except ValueError:
        return None
    run = db.session.scalar(select(JobRun).where(JobRun.id == job_uuid))
    if run is None or not can_view_job(member, run):
        return None
    return run


def can_view_job(member, run: JobRun) -> bool:
    if member is None:
        return False
    if run.owners_only and not member.is_owner:
        return False
    return member.is_owner or run.created_by_user_id == member.user_id


def latest_job(member, kind: str) -> JobRun | None:
    """The member's most recent job of a kind (owners see everyone's)."""
    query = select(JobRun).where(JobRun.kind == kind)
    if not member.is_owner:
        query = query.where(JobRun.created_by_user_id == member.user_id)
    run = db.session.scalar(query.order_by(JobRun.created_at.desc()).limit(1))
    return run if run is not None and can_view_job(member, run) else None
