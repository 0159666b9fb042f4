"""period reports: scheduled report claims, cases by opening time

Revision ID: 0008_reports_csat
Revises: 0007_routes
Create Date: 2026-12-01 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0008_reports_csat'
down_revision = '0007_routes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_runs',
    sa.Column('period_key', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('claimed_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('period_key', 'channel', name=op.f('pk_report_runs'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_created_at')

    op.drop_table('report_runs')
