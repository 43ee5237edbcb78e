"""jobs and stored files

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa

from app.core.rls import disable_tenant_rls, enable_tenant_rls

TENANT_TABLES = ("job_runs", "stored_files")


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('func_path', sa.String(length=200), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('queue', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('owners_only', sa.Boolean(), nullable=False),
    sa.Column('result_key', sa.String(length=500), nullable=True),
    sa.Column('result_name', sa.String(length=255), nullable=True),
    sa.Column('result_content_type', sa.String(length=100), nullable=True),
    sa.Column('result_size', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('error_detail', sa.Text(), nullable=True),
    sa.Column('created_by_user_id', sa.Uuid(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_job_runs_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_job_runs_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('idx_job_runs_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_created_by_user_id'), ['created_by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_runs_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('stored_files',
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('extension', sa.String(length=16), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_user_id', sa.Uuid(), nullable=True),
    sa.Column('thumbnails', sa.JSON(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_stored_files_tenant_id_tenants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['users.id'], name=op.f('fk_stored_files_uploaded_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_files_key'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index('idx_stored_files_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_tenant_id'), ['tenant_id'], unique=False)
    for table in TENANT_TABLES:
        enable_tenant_rls(op, table)


def downgrade():
    for table in TENANT_TABLES:
        disable_tenant_rls(op, table)
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_stored_files_sha256'))
        batch_op.drop_index('idx_stored_files_tenant_created')

    op.drop_table('stored_files')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_job_runs_created_by_user_id'))
        batch_op.drop_index('idx_job_runs_tenant_created')

    op.drop_table('job_runs')
