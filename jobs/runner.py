"""The one job runner: every background job (RQ or inline) runs through `run_job`.

It gets the app, pushes an app context, puts the JobRun's tenant in scope, marks the run
`running`, calls the job function with its ids and a `progress(percent, message)` callback,
then commits everything the job wrote together with `succeeded` (and its result file), or
rolls it all back and records `failed` with the error. Progress is committed in a separate,
short transaction so pages polling the JobRun see it while the job is still working.
"""

import contextvars
import importlib
import logging
import time
import traceback
import uuid
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.tenancy import tenant_scope, unscoped
from app.extensions import db

log = logging.getLogger(__name__)
_app = None


def _get_app():
    global _app
    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def run_job(job_run_id: str) -> None:
    """RQ entry point (`jobs.runner.run_job`)."""
    app = _get_app()
    # A fresh context: no tenant scope or Flask context leaks in from the worker (or a test).
    contextvars.Context().run(execute, app, job_run_id)


def execute(app, job_run_id) -> None:
    # A request context (no real request): gettext picks the default locale (Hebrew) and
    # url_for builds absolute links from APP_URL.
    with app.app_context(), app.test_request_context(base_url=app.config.get("APP_URL")):
        try:
            _execute(uuid.UUID(str(job_run_id)))
        finally:
            db.session.remove()


def _resolve(func_path: str):
    module, _, name = func_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _publish(tenant_id, run_id, status: str) -> None:
    """Tell pages showing this job to refresh now (not at the job's final commit)."""
    from app.realtime.broker import broker_for
    from app.realtime.publish import tenant_channel

    topic = f"job:{run_id}"
    message = {
        "topic": topic,
        "type": "entity_updated",
        "user_id": None,
        "ts": time.time(),
        "entity_type": "job_run",
        "entity_id": str(run_id),
        "status": status,
    }
    try:
        broker_for(current_app.config.get("REDIS_URL")).publish(
            tenant_channel(tenant_id, topic), message
        )
    except Exception:  # a realtime hiccup must not fail the job
        log.warning("could not publish job progress", exc_info=True)


def _write_progress(run_id, tenant_id, values: dict) -> bool:
    """Commit `values` on the JobRun in its own short transaction (own connection)."""
    from app.jobs.models import JobRun

    with Session(db.engine) as session:
        sqlite = session.bind.dialect.name == "sqlite"
        try:
            if sqlite:
                # SQLite has one writer: if the job holds it, skip this update quickly.
                session.execute(text("PRAGMA busy_timeout = 200"))
            session.execute(update(JobRun).where(JobRun.id == run_id).values(**values))
            session.commit()
        except OperationalError:
            session.rollback()
            log.info("job %s progress not saved (database busy)", run_id)
            return False
        finally:
            if sqlite:
                session.execute(text("PRAGMA busy_timeout = 5000"))
                session.commit()
    _publish(tenant_id, run_id, values.get("status", "running"))
    return True


def _execute(run_id: uuid.UUID) -> None:
    from app.jobs.models import JobRun
    from app.jobs.services import JobError, JobResult

    with unscoped():  # the one lookup before we know whose job this is
        tenant_id = db.session.scalar(select(JobRun.tenant_id).where(JobRun.id == run_id))
    db.session.commit()
    if tenant_id is None:
        log.warning("JobRun %s not found", run_id)
        return

    with tenant_scope(tenant_id):
        run = db.session.get(JobRun, run_id)
        if run is None or run.status != "queued":
            log.info("JobRun %s is %s; not running it again", run_id, run and run.status)
            return
        func_path, args = run.func_path, list(run.args or [])
        run.status, run.started_at, run.progress = "running", utcnow(), 0
        db.session.commit()
        _publish(tenant_id, run_id, "running")

        last = {"percent": 0}

        def progress(percent: int, message: str | None = None) -> None:
            percent = max(0, min(100, int(percent)))
            last["percent"] = percent
            _write_progress(run_id, tenant_id, {"progress": percent, "message": message})

        try:
            result = _resolve(func_path)(*args, progress=progress)
            run = db.session.get(JobRun, run_id)
            run.status, run.progress, run.finished_at = "succeeded", 100, utcnow()
            if isinstance(result, JobResult):
                run.result_key = result.file_key
                run.result_name = result.file_name
                run.result_content_type = result.content_type
                run.result_size = result.size
                if result.expires_in_hours:
                    run.expires_at = run.finished_at + timedelta(hours=result.expires_in_hours)
                run.message = result.message or run.message
            db.session.commit()
        except Exception as exc:  # everything the job wrote goes; the failure is recorded
            db.session.rollback()
            if isinstance(exc, JobError):
                message = exc.message
                log.info("JobRun %s failed: %s", run_id, message)
            else:
                message = None
                log.exception("JobRun %s crashed", run_id)
            run = db.session.get(JobRun, run_id)
            run.status, run.finished_at = "failed", utcnow()
            run.progress = last["percent"]
            run.error = (message or _default_error())[:500]
            run.error_detail = "".join(traceback.format_exception_only(type(exc), exc))[-4000:]
            db.session.commit()
        _publish(tenant_id, run_id, run.status)


def _default_error() -> str:
    from flask_babel import gettext as _

    return _("המשימה נכשלה בגלל שגיאה לא צפויה. שום דבר לא נשמר; נסו שוב.")
