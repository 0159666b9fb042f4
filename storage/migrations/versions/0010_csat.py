"""csat: the rating on a case, and the rating questions sent by DM

Revision ID: 0010_csat
Revises: 0009_speed_indexes
Create Date: 2026-12-01 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0010_csat'
down_revision = '0009_speed_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('csat_requests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_expires_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('x_event_id', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('asked_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'],
                            name=op.f('fk_csat_requests_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_csat_requests')),
    sa.UniqueConstraint('case_id', name=op.f('uq_csat_requests_case_id'))
    )
    with op.batch_alter_table('csat_requests', schema=None) as batch_op:
        batch_op.create_index('ix_csat_requests_status', ['status'], unique=False)
        batch_op.create_index('ix_csat_requests_recipient_id', ['recipient_id'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('csat', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('csat')
    with op.batch_alter_table('csat_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_csat_requests_recipient_id')
        batch_op.drop_index('ix_csat_requests_status')
    op.drop_table('csat_requests')
