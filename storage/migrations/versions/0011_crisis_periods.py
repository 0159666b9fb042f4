"""crisis periods: when each crisis began and ended, for the reports

Revision ID: 0011_crisis_periods
Revises: 0010_csat
Create Date: 2026-12-01 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0011_crisis_periods'
down_revision = '0010_csat'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crisis_periods',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_periods'))
    )
    with op.batch_alter_table('crisis_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_periods_started_at'), ['started_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('crisis_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crisis_periods_started_at'))

    op.drop_table('crisis_periods')
