"""PostgreSQL row-level security for tenant tables, used by Alembic migrations.

Each tenant table gets RLS enabled and forced (so even the table owner, which is the app's
role, is subject to it) and one policy: rows are visible and writable only when their
`tenant_id` equals the transaction's `app.tenant_id`, or when `app.unscoped` is on (the
`unscoped()` escape hatch). `app.core.tenancy` sets both per transaction.

Landed migrations call these functions: never change their SQL; add new functions instead.
"""

POLICY_NAME = "tenant_isolation"

_CONDITION = (
    "(current_setting('app.unscoped', true) = 'on' "
    "OR tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)"
)


def enable_tenant_rls(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY_NAME} ON {table} USING {_CONDITION} WITH CHECK {_CONDITION}")


def disable_tenant_rls(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
