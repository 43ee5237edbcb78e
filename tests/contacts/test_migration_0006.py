"""Migration 0006 gives studios that already exist the new "lead_source" list, once."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, inspect, select

from app import create_app
from app.configuration.defaults import LEAD_SOURCES
from app.configuration.models import ConfigurableEntity
from app.core.tenancy import clear_scope, tenant_scope, unscoped
from app.extensions import db
from app.tenants.services import create_studio
from tests.conftest import PASSWORD
from tests.core.test_migrations import empty_database_url  # noqa: F401 (a fixture)


def lead_sources() -> dict:
    """{tenant id: [(key, is_default)] in order} across every studio."""
    with unscoped():
        rows = db.session.scalars(
            select(ConfigurableEntity)
            .where(ConfigurableEntity.entity_type == "lead_source")
            .order_by(ConfigurableEntity.order)
        )
        result: dict = {}
        for row in rows:
            result.setdefault(row.tenant_id, []).append((row.key, row.is_default))
        return result


def test_lead_sources_added_to_existing_studios(empty_database_url):  # noqa: F811
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url, REDIS_URL=None)
    with app.app_context():
        upgrade(revision="0005")
        old, _ = create_studio(
            studio_name="סטודיו ותיק",
            first_name="רות",
            last_name="לוי",
            email="old@a.test",
            password=PASSWORD,
        )
        # Made before the list existed: today's sign-up code adds it, so take it away again.
        with tenant_scope(old.id):
            db.session.execute(
                delete(ConfigurableEntity).where(ConfigurableEntity.entity_type == "lead_source")
            )
        recent, _ = create_studio(
            studio_name="סטודיו חדש",
            first_name="גיל",
            last_name="כהן",
            email="new@a.test",
            password=PASSWORD,
        )
        db.session.commit()
        old_id, recent_id = old.id, recent.id
        clear_scope()
        db.session.remove()
        assert old_id not in lead_sources() and len(lead_sources()[recent_id]) == 7

        upgrade(revision="0006")
        expected = [(key, key == "referral") for key, *_rest in LEAD_SOURCES]
        assert lead_sources() == {old_id: expected, recent_id: expected}  # none twice
        assert {"clients", "suppliers", "professionals"} <= set(
            inspect(db.engine).get_table_names()
        )

        downgrade(revision="0005")
        assert lead_sources() == {}
        assert "clients" not in set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()
