"""The job runner: JobRun states, commit / rollback, progress mid-job; inline and on RQ."""

import os

import pytest
from sqlalchemy import func, select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.files.models import StoredFile
from app.jobs.models import JobRun
from app.jobs.services import enqueue, jobs_run_inline
from tests.factories import make_studio
from tests.jobs import sample_jobs

REDIS_URL = os.environ.get("TEST_REDIS_URL")


def _owner_scope():
    tenant, owner = make_studio()
    membership = owner.memberships[0]
    return tenant, membership


def _run(tenant, membership, func, *ids, kind="test"):
    """Enqueue and commit (inline jobs run at the commit); return the fresh JobRun."""
    with tenant_scope(tenant.id):
        run = enqueue(membership, kind, f"tests.jobs.sample_jobs.{func}", *ids)
        run_id = run.id
        db.session.commit()
        db.session.expire_all()
        return db.session.get(JobRun, run_id)


def _rows(tenant) -> int:
    with tenant_scope(tenant.id):
        return db.session.scalar(select(func.count()).select_from(StoredFile))


def test_inline_without_redis(app, ctx):
    assert jobs_run_inline(app.config)
    app.config["JOBS_INLINE"] = "0"
    try:
        assert not jobs_run_inline(app.config)
    finally:
        app.config["JOBS_INLINE"] = "auto"


def test_success_commits_the_jobs_writes(ctx):
    tenant, membership = _owner_scope()
    run = _run(tenant, membership, "writes_a_row", "שורה")
    assert run.status == "succeeded"
    assert run.progress == 100
    assert run.started_at and run.finished_at
    assert run.created_by_user_id == membership.user_id
    assert run.args == ["שורה"]
    assert _rows(tenant) == 1


def test_failure_rolls_back_everything_and_records_the_error(ctx):
    tenant, membership = _owner_scope()
    run = _run(tenant, membership, "writes_then_fails", "שורה")
    assert run.status == "failed"
    assert "שגיאה לא צפויה" in run.error  # Hebrew, for the user
    assert "boom" in run.error_detail  # technical, for us
    assert run.finished_at is not None
    assert _rows(tenant) == 0  # no half-written data


def test_job_error_message_is_shown_as_is(ctx):
    tenant, membership = _owner_scope()
    run = _run(tenant, membership, "fails_politely")
    assert run.status == "failed"
    assert run.error == "אין מה לייצא."


def test_progress_is_visible_while_the_job_runs(ctx):
    tenant, membership = _owner_scope()
    sample_jobs.observed.clear()
    run = _run(tenant, membership, "peeks_at_progress", kind="peek")
    assert sample_jobs.observed["mid_job"] == (37, "בודק", "running")
    assert run.status == "succeeded"


def test_a_rolled_back_request_starts_no_job(ctx):
    tenant, membership = _owner_scope()
    with tenant_scope(tenant.id):
        enqueue(membership, "test", "tests.jobs.sample_jobs.writes_a_row", "x")
        db.session.rollback()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
    assert _rows(tenant) == 0


def test_enqueue_refuses_unknown_queue(ctx):
    tenant, membership = _owner_scope()
    with tenant_scope(tenant.id), pytest.raises(ValueError):
        enqueue(membership, "test", "tests.jobs.sample_jobs.writes_a_row", queue="urgent")


@pytest.mark.skipif(not REDIS_URL, reason="needs TEST_REDIS_URL (make test)")
class TestOnRQ:
    @pytest.fixture(autouse=True)
    def _redis(self, app, monkeypatch):
        from redis import Redis
        from rq import Queue

        monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
        self.redis = Redis.from_url(REDIS_URL)
        for name in ("high", "default", "low"):
            Queue(name, connection=self.redis).empty()
        yield
        self.redis.close()

    def _work(self):
        from rq import Queue, SimpleWorker

        queues = [Queue(n, connection=self.redis) for n in ("high", "default", "low")]
        SimpleWorker(queues, connection=self.redis).work(burst=True)

    def test_queued_until_a_worker_runs_it(self, ctx):
        tenant, membership = _owner_scope()
        run = _run(tenant, membership, "writes_a_row", "שורה")
        assert run.status == "queued"  # on Redis now, nothing ran in the request
        assert _rows(tenant) == 0
        self._work()
        with tenant_scope(tenant.id):
            db.session.expire_all()
            run = db.session.get(JobRun, run.id)
            assert (run.status, run.progress) == ("succeeded", 100)
        assert _rows(tenant) == 1

    def test_failure_on_a_worker_rolls_back(self, ctx):
        tenant, membership = _owner_scope()
        run = _run(tenant, membership, "writes_then_fails", "שורה")
        assert run.status == "queued"
        self._work()
        with tenant_scope(tenant.id):
            db.session.expire_all()
            run = db.session.get(JobRun, run.id)
            assert run.status == "failed"
            assert run.progress == 40
            assert run.error
        assert _rows(tenant) == 0

    def test_progress_mid_job_on_a_worker(self, ctx):
        tenant, membership = _owner_scope()
        sample_jobs.observed.clear()
        _run(tenant, membership, "peeks_at_progress", kind="peek")
        self._work()
        assert sample_jobs.observed["mid_job"] == (37, "בודק", "running")
