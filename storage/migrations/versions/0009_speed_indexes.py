"""index the assignee of a case (per-agent counts in /care status, /care mine)

Revision ID: 0009_speed_indexes
Revises: 0008_reports_csat
Create Date: 2026-12-01 10:00:00.000000
"""
from alembic import op


revision = '0009_speed_indexes'
down_revision = '0008_reports_csat'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_cases_assignee_id'), 'cases', ['assignee_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_cases_assignee_id'), table_name='cases')
