import pytest
from sqlalchemy import select, text

from app.configuration.models import ConfigurableEntity
from app.core.tenancy import TenantScopeError, set_tenant, tenant_scope, unscoped
from app.extensions import db
from app.tenants.models import Membership
from tests.conftest import USE_SQLITE
from tests.factories import make_studio


@pytest.fixture
def two_tenants(ctx):
    a, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    b, _ = make_studio(name="סטודיו בית", email="owner@b.test")
    return a, b


def test_queries_without_a_tenant_fail_closed(two_tenants):
    set_tenant(None)
    with pytest.raises(TenantScopeError):
        db.session.scalars(select(ConfigurableEntity)).all()


@pytest.mark.smoke
def test_orm_queries_see_only_the_scoped_tenant(two_tenants):
    a, b = two_tenants
    with tenant_scope(a.id):
        rows = db.session.scalars(select(ConfigurableEntity)).all()
        assert rows and {r.tenant_id for r in rows} == {a.id}
        assert db.session.scalars(select(Membership)).one().tenant_id == a.id
    with unscoped():
        tenants = {r.tenant_id for r in db.session.scalars(select(ConfigurableEntity))}
        assert tenants == {a.id, b.id}


def test_saving_another_tenants_row_is_refused(two_tenants):
    a_id, b_id = (t.id for t in two_tenants)
    with tenant_scope(a_id):
        db.session.add(ConfigurableEntity(tenant_id=b_id, entity_type="trade", key="x", name="x"))
        with pytest.raises(TenantScopeError):
            db.session.flush()
        db.session.rollback()
    with tenant_scope(b_id):
        entry = db.session.scalars(select(ConfigurableEntity)).first()
    entry.name = "שונה"
    with tenant_scope(a_id), pytest.raises(TenantScopeError):
        db.session.flush()
    db.session.rollback()
    with tenant_scope(b_id):
        entry = db.session.scalars(select(ConfigurableEntity)).first()
        entry.tenant_id = a_id
        with pytest.raises(TenantScopeError):
            db.session.flush()
    db.session.rollback()


def test_inserts_get_the_scoped_tenant(two_tenants):
    a, _b = two_tenants
    with tenant_scope(a.id):
        entry = ConfigurableEntity(entity_type="trade", key="welder", name="רתך")
        db.session.add(entry)
        db.session.flush()
        assert entry.tenant_id == a.id


@pytest.mark.skipif(USE_SQLITE, reason="row-level security is PostgreSQL's")
def test_postgres_rls_hides_other_tenants_from_raw_sql(two_tenants):
    a, b = two_tenants
    db.session.commit()
    with tenant_scope(a.id):
        tenants = (
            db.session.execute(text("SELECT DISTINCT tenant_id FROM configurable_entities"))
            .scalars()
            .all()
        )
        assert tenants == [a.id]
        forbidden = db.session.execute(
            text("SELECT count(*) FROM memberships WHERE tenant_id = :b"), {"b": b.id}
        ).scalar()
        assert forbidden == 0
    db.session.commit()
    # no tenant and not unscoped: the database itself returns nothing
    set_tenant(None)
    count = db.session.execute(text("SELECT count(*) FROM configurable_entities")).scalar()
    assert count == 0
    db.session.rollback()


@pytest.mark.skipif(USE_SQLITE, reason="row-level security is PostgreSQL's")
def test_postgres_rls_blocks_raw_inserts_into_another_tenant(two_tenants):
    a, b = two_tenants
    db.session.commit()
    with tenant_scope(a.id), pytest.raises(Exception, match="row-level security"):
        db.session.execute(
            text(
                "INSERT INTO configurable_entities (id, tenant_id, entity_type, key, name, "
                'is_default, is_system, is_final, allowed_transitions, "order", is_active, '
                "created_at, updated_at) VALUES (gen_random_uuid(), :b, 'trade', 'k', 'n', "
                "false, false, false, '[]', 0, true, now(), now())"
            ),
            {"b": b.id},
        )
    db.session.rollback()


@pytest.mark.skipif(USE_SQLITE, reason="row-level security is PostgreSQL's")
def test_app_role_is_subject_to_rls(ctx):
    role = db.session.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    assert tuple(role) == (False, False)
    from app.core.db import TenantScoped

    tenant_tables = {
        m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)
    }
    rows = db.session.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(:names)"
        ),
        {"names": list(tenant_tables)},
    ).all()
    assert {r.relname for r in rows if r.relrowsecurity and r.relforcerowsecurity} == tenant_tables


def test_every_tenant_scoped_model_has_rls_in_migrations():
    """A new TenantScoped model must be added to a migration's RLS list."""
    import pathlib

    from app.core.db import TenantScoped

    scoped = {
        m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)
    }
    sources = "".join(p.read_text() for p in pathlib.Path("migrations/versions").glob("*.py"))
    missing = [t for t in scoped if f'"{t}"' not in sources.split("TENANT_TABLES", 1)[-1]]
    assert not missing, f"tenant tables without RLS in migrations: {missing}"


def test_joins_and_subqueries_are_scoped_too(two_tenants):
    from app.auth.models import User

    a, _b = two_tenants
    with tenant_scope(a.id):
        by_subquery = db.session.scalars(
            select(User).where(User.id.in_(select(Membership.user_id)))
        ).all()
        by_join = db.session.scalars(
            select(User).join(Membership, Membership.user_id == User.id)
        ).all()
        by_relationship = db.session.scalars(select(User).join(User.memberships)).all()
    for users in (by_subquery, by_join, by_relationship):
        assert [u.email for u in users] == ["owner@a.test"]


def test_joins_and_subqueries_without_a_tenant_fail_closed(two_tenants):
    from app.auth.models import User

    set_tenant(None)
    for statement in (
        select(User).where(User.id.in_(select(Membership.user_id))),
        select(User).join(Membership, Membership.user_id == User.id),
        select(User).join(User.memberships),
    ):
        with pytest.raises(TenantScopeError):
            db.session.scalars(statement).all()
    # plain user queries need no tenant
    assert len(db.session.scalars(select(User)).all()) == 2


def test_count_with_select_from_is_scoped(two_tenants):
    from sqlalchemy import func

    a, _b = two_tenants
    with tenant_scope(a.id):
        count = db.session.scalar(select(func.count()).select_from(Membership))
    assert count == 1
    set_tenant(None)
    with pytest.raises(TenantScopeError):
        db.session.scalar(select(func.count()).select_from(Membership))
