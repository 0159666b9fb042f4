"""phone callbacks of cases moved to the phone

Revision ID: 0006_replies_slack
Revises: 0005_praise_learning
Create Date: 2026-12-01 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0006_replies_slack'
down_revision = '0005_praise_learning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('phone_callbacks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('asked_by', sa.String(length=32), nullable=False),
    sa.Column('asked_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('requested_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('called_by', sa.String(length=32), nullable=True),
    sa.Column('called_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_phone_callbacks_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_callbacks')),
    sa.UniqueConstraint('case_id', name=op.f('uq_phone_callbacks_case_id'))
    )
    with op.batch_alter_table('phone_callbacks', schema=None) as batch_op:
        batch_op.create_index('ix_phone_callbacks_state', ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('phone_callbacks', schema=None) as batch_op:
        batch_op.drop_index('ix_phone_callbacks_state')

    op.drop_table('phone_callbacks')
