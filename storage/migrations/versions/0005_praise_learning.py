"""praise lane and triage labels

Revision ID: 0005_praise_learning
Revises: 0004_saved_replies
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0005_praise_learning'
down_revision = '0004_saved_replies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('praise_items',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('author_handle', sa.String(length=64), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_followers', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('conversation_id', sa.String(length=32), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.String(length=240), nullable=False),
    sa.Column('received_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('digest_hour', sa.String(length=16), nullable=True),
    sa.Column('shown_in_digest', sa.Boolean(), nullable=False),
    sa.Column('liked_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('liked_by', sa.String(length=32), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'],
                            name=op.f('fk_praise_items_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_praise_items'))
    )
    with op.batch_alter_table('praise_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_praise_items_digest_hour'), ['digest_hour'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_praise_items_received_at'), ['received_at'],
                              unique=False)
    op.create_table('praise_digests',
    sa.Column('hour', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shown', sa.Integer(), nullable=False),
    sa.Column('more', sa.Integer(), nullable=False),
    sa.Column('slack_ts', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('hour', name=op.f('pk_praise_digests'))
    )
    with op.batch_alter_table('praise_digests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_praise_digests_created_at'), ['created_at'],
                              unique=False)
    op.create_table('triage_labels',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('post_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('brand_handle', sa.String(length=64), nullable=False),
    sa.Column('author_followers', sa.BigInteger(), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('triage_lane', sa.String(length=16), nullable=False),
    sa.Column('triage_kind', sa.String(length=16), nullable=True),
    sa.Column('triage_reason', sa.String(length=240), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('correction', sa.String(length=32), nullable=False),
    sa.Column('labelled_by', sa.String(length=32), nullable=False),
    sa.Column('labelled_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_labels')),
    sa.UniqueConstraint('post_id', name=op.f('uq_triage_labels_post_id'))
    )
    with op.batch_alter_table('triage_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_labels_labelled_at'), ['labelled_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('triage_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_labels_labelled_at'))
    op.drop_table('triage_labels')
    with op.batch_alter_table('praise_digests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_praise_digests_created_at'))
    op.drop_table('praise_digests')
    with op.batch_alter_table('praise_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_praise_items_received_at'))
        batch_op.drop_index(batch_op.f('ix_praise_items_digest_hour'))
    op.drop_table('praise_items')
