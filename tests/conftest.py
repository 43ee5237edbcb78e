"""Test setup: one app per run on a migrated database, emptied after every test.

`make test` exports TEST_DATABASE_URL (a throwaway PostgreSQL whose role is subject to RLS)
and TEST_REDIS_URL. With STUDIO_TEST_DB=sqlite, or without TEST_DATABASE_URL, the suite runs
on a temporary SQLite file instead (the embedded default of `make run`).
"""

import contextvars
import os
import re
import tempfile
import time

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.core.tenancy import clear_scope
from app.extensions import db, limiter

USE_SQLITE = os.environ.get("STUDIO_TEST_DB") == "sqlite" or not os.environ.get("TEST_DATABASE_URL")
PASSWORD = "Correct-Horse-9"


def _database_url(tmp_dir: str) -> str:
    if USE_SQLITE:
        return f"sqlite:///{tmp_dir}/test.db"
    return os.environ["TEST_DATABASE_URL"]


class IsolatedClient(FlaskClient):
    """Each request runs as in production: its own app context, `g` and DB session.

    Without this a test holding an app context (the `ctx` fixture) would share `g` (the
    signed-in user, the CSRF token) between requests of different clients. Whatever the
    test body staged is committed first, so the request sees it.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app():
    tmp_dir = tempfile.mkdtemp(prefix="studio-tests-")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_dir),
        REDIS_URL=None,
        RATELIMIT_STORAGE_URI=os.environ.get("TEST_REDIS_URL") or "memory://",
        SERVER_NAME=None,
        PROPAGATE_UNEXPECTED=True,
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        if not USE_SQLITE:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(revision="heads")
        existing = set(inspect(db.engine).get_table_names())
        app.extensions["test_tables"] = [
            t.name for t in reversed(db.metadata.sorted_tables) if t.name in existing
        ]
    yield app


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    clear_scope()
    with app.app_context():
        db.session.remove()
        _empty_tables(app.extensions["test_tables"])
        limiter.reset()


def _empty_tables(tables: list[str], attempts: int = 6) -> None:
    """Empty every table. A browser test's live server may still be finishing a request
    (a last poll, a closing websocket), so a lock conflict is retried, not fatal."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SET LOCAL lock_timeout = '2s'"))
                    connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
                else:
                    for table in tables:
                        connection.execute(text(f"DELETE FROM {table}"))
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture
def ctx(app):
    """An app context for calling services directly."""
    with app.test_request_context():
        yield
        db.session.rollback()
        clear_scope()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    return app.test_client


CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_from(client, page: str) -> str:
    response = client.get(page)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page} ({response.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST like a browser does: with the CSRF token from a page of the same session."""
    token = csrf_from(client, page or "/login")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def login(client, email: str, password: str = PASSWORD, **extra):
    return post_form(client, "/login", {"email": email, "password": password, **extra})


LINK_RE = re.compile(r"https?://[^\s\"'<>]+")


def last_mail(to: str):
    from sqlalchemy import select

    from app.core.mail import OutboxMessage

    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == to)
        .order_by(OutboxMessage.created_at.desc())
    )


def link_in_mail(to: str) -> str:
    """The path of the first link in the newest e-mail to `to`."""
    from urllib.parse import urlsplit

    message = last_mail(to)
    assert message is not None, f"no e-mail to {to}"
    url = LINK_RE.search(message.body_text).group(0)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: ...; q.count` counts SQL statements sent to the database."""
    return lambda: QueryCounter(db.engine)
