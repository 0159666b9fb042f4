"""quarantined posts

Revision ID: 0003_quarantine
Revises: 0002_instance_identity
Create Date: 2026-12-01 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import storage.models


revision = '0003_quarantine'
down_revision = '0002_instance_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quarantined_posts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('post_id', sa.String(length=32), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('raw_json', sa.Text(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('quarantined_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantined_posts')),
    sa.UniqueConstraint('post_id', name=op.f('uq_quarantined_posts_post_id'))
    )
    with op.batch_alter_table('quarantined_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantined_posts_quarantined_at'),
                              ['quarantined_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quarantined_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantined_posts_quarantined_at'))
    op.drop_table('quarantined_posts')
