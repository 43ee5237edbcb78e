"""Migrations upgrade a database that already holds data, and run back down."""

import os
import tempfile
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.demo import seed_demo
from app.extensions import db
from tests.conftest import USE_SQLITE


@pytest.fixture
def empty_database_url():
    if USE_SQLITE:
        yield f"sqlite:///{tempfile.mkdtemp()}/migrations.db"
        return
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_an_early_migration_keeps_existing_data(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url, REDIS_URL=None)
    with app.app_context():
        upgrade(revision="0002")  # the demo data needs the activity log
        assert seed_demo() is True  # studios, users, memberships, default lists
        upgrade(revision="heads")
        tables = set(inspect(db.engine).get_table_names())
        assert {"activity_logs", "labels", "custom_field_definitions", "job_runs"} <= tables
        assert seed_demo() is True  # demo data of modules whose tables came later (contacts)
        assert seed_demo() is False  # everything is still there
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT set_config('app.unscoped', 'on', false)"))
            users = connection.execute(text("SELECT count(*) FROM users")).scalar()
            entries = connection.execute(
                text("SELECT count(*) FROM configurable_entities")
            ).scalar()
        assert users == 5 and entries > 80
        downgrade(revision="0001")
        assert "labels" not in set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()
