"""saved replies and their change events

Revision ID: 0004_saved_replies
Revises: 0003_quarantine
Create Date: 2026-12-01 08:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0004_saved_replies'
down_revision = '0003_quarantine'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saved_replies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=75), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('faq', sa.String(length=500), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('use_count', sa.Integer(), nullable=False),
    sa.Column('last_used_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies')),
    sa.UniqueConstraint('title', name=op.f('uq_saved_replies_title'))
    )
    op.create_table('saved_reply_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reply_id'], ['saved_replies.id'], name=op.f('fk_saved_reply_events_reply_id_saved_replies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_reply_events'))
    )
    with op.batch_alter_table('saved_reply_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_reply_events_reply_id'), ['reply_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saved_reply_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_reply_events_reply_id'))

    op.drop_table('saved_reply_events')
    op.drop_table('saved_replies')
