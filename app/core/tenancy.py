"""Fail-closed tenant scoping for the ORM, and its PostgreSQL row-level-security twin.

The tenant in scope lives in a context variable set per request (or per job). Every ORM
statement that touches a `TenantScoped` model gets `tenant_id = <tenant>` added; with no
tenant in scope such a statement raises instead of returning everything. `unscoped()` is
the one escape hatch, for the platform admin and maintenance code: grep for it.

On PostgreSQL the same two values are copied into the transaction (`app.tenant_id`,
`app.unscoped`) so the RLS policies created by the migrations apply to raw SQL as well.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Table, event, inspect
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import visitors

from app.core.db import TenantScoped

_tenant_id: ContextVar[uuid.UUID | None] = ContextVar("tenant_id", default=None)
_unscoped: ContextVar[bool] = ContextVar("unscoped", default=False)


class TenantScopeError(RuntimeError):
    """A query touched tenant data with no tenant in scope."""


def current_tenant_id() -> uuid.UUID | None:
    return _tenant_id.get()


def is_unscoped() -> bool:
    return _unscoped.get()


def set_tenant(tenant_id: uuid.UUID | None, session: Session | None = None) -> None:
    """Put a tenant in scope for the rest of this request or job."""
    _tenant_id.set(tenant_id)
    _sync_database_settings(session)


def clear_scope() -> None:
    _tenant_id.set(None)
    _unscoped.set(False)


@contextmanager
def tenant_scope(tenant_id: uuid.UUID, session: Session | None = None) -> Iterator[None]:
    """Run a block as the given tenant, restoring the previous scope afterwards."""
    token = _tenant_id.set(tenant_id)
    _sync_database_settings(session)
    try:
        yield
    finally:
        _tenant_id.reset(token)
        _sync_database_settings(session)


@contextmanager
def unscoped(session: Session | None = None) -> Iterator[None]:
    """Lift tenant scoping for a block. Platform admin and maintenance only."""
    token = _unscoped.set(True)
    _sync_database_settings(session)
    try:
        yield
    finally:
        _unscoped.reset(token)
        _sync_database_settings(session)


def _default_session() -> Session | None:
    try:
        from flask import has_app_context

        from app.extensions import db

        return db.session() if has_app_context() else None
    except RuntimeError:  # outside an app context
        return None


def _sync_database_settings(session: Session | None) -> None:
    """Copy the scope into an already-open PostgreSQL transaction."""
    session = session or _default_session()
    if session is None:
        return
    try:
        if not session.in_transaction():
            return
        connection = session.connection()
        _apply_settings(connection)
    except (RuntimeError, DBAPIError, PendingRollbackError):
        # A failed transaction is rolled back before anything else runs; the next
        # transaction picks the scope up in `after_begin`.
        return


def _apply_settings(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    tenant = _tenant_id.get()
    connection.exec_driver_sql(
        "SELECT set_config('app.tenant_id', %s, true), set_config('app.unscoped', %s, true)",
        (str(tenant) if tenant else "", "on" if _unscoped.get() else "off"),
    )


def _is_tenant_class(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, TenantScoped)


def _touches_tenant_data(state: ORMExecuteState) -> bool:
    """Whether the statement reads or writes a tenant table anywhere: selected entities,
    joins (also along relationships) and subqueries."""
    if any(_is_tenant_class(mapper.class_) for mapper in state.all_mappers):
        return True
    statement = state.statement
    for join in getattr(statement, "_setup_joins", ()):
        target = join[0]
        prop = getattr(target, "property", None)
        mapper = getattr(prop, "mapper", None) or getattr(target, "mapper", None)
        if mapper is not None and _is_tenant_class(mapper.class_):
            return True
    for element in visitors.iterate(statement):
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None and _is_tenant_class(entity.class_):
            return True
        if isinstance(element, Table) and element.name in _tenant_table_names():
            return True
    return False


def _tenant_table_names() -> set[str]:
    from app.extensions import db

    return {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if _is_tenant_class(mapper.class_)
    }


def install(session_class=Session) -> None:
    """Register the ORM hooks once, for every session."""

    @event.listens_for(session_class, "after_begin")
    def _on_begin(session, transaction, connection):
        _apply_settings(connection)

    @event.listens_for(session_class, "do_orm_execute")
    def _scope_statement(state: ORMExecuteState):
        if _unscoped.get() or state.is_column_load:
            return
        if not (state.is_select or state.is_update or state.is_delete):
            return
        tenant = _tenant_id.get()
        if tenant is None:
            if not _touches_tenant_data(state):
                return
            raise TenantScopeError(
                "A query on tenant data ran with no tenant in scope; "
                "set one with set_tenant() or use unscoped() deliberately."
            )
        # Added to every statement while a tenant is in scope: it also filters tenant tables
        # reached through joins and subqueries, which `all_mappers` does not list.
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped, lambda cls: cls.tenant_id == tenant, include_aliases=True
            )
        )

    @event.listens_for(session_class, "before_flush")
    def _fill_and_check_tenant(session, flush_context, instances):
        tenant = _tenant_id.get()
        for obj in list(session.new) + list(session.dirty):
            if not isinstance(obj, TenantScoped):
                continue
            if obj in session.dirty and inspect(obj).attrs.tenant_id.history.deleted:
                raise TenantScopeError(f"A {type(obj).__name__} cannot move to another tenant")
            if obj.tenant_id is None:
                if tenant is None:
                    raise TenantScopeError(f"Cannot save {type(obj).__name__}: no tenant in scope")
                obj.tenant_id = tenant
            elif tenant is not None and obj.tenant_id != tenant and not _unscoped.get():
                raise TenantScopeError(f"Refusing to save {type(obj).__name__} of another tenant")
