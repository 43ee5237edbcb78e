"""Job functions the runner tests enqueue (ids in, a progress callback by keyword)."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.tenancy import current_tenant_id
from app.extensions import db
from app.files.models import StoredFile
from app.jobs.models import JobRun
from app.jobs.services import JobError

observed: dict = {}


def _write_row(label: str) -> None:
    db.session.add(
        StoredFile(
            key=f"{current_tenant_id()}/test/{uuid.uuid4()}",
            original_name=label,
            content_type="text/plain",
            size=1,
            sha256="0" * 64,
        )
    )
    db.session.flush()


def writes_a_row(label: str, *, progress) -> None:
    progress(50, "חצי הדרך")
    _write_row(label)


def writes_then_fails(label: str, *, progress) -> None:
    _write_row(label)
    progress(40, "כמעט")
    raise RuntimeError("boom")


def fails_politely(*, progress) -> None:
    raise JobError("אין מה לייצא.")


def peeks_at_progress(*, progress) -> None:
    """Reports progress, then reads it back through another connection mid-job."""
    progress(37, "בודק")
    with Session(db.engine) as other:
        observed["mid_job"] = other.execute(
            select(JobRun.progress, JobRun.message, JobRun.status).where(JobRun.kind == "peek")
        ).one()
