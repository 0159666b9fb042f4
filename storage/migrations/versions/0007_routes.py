"""the route of the triage chart that holds a case

Revision ID: 0007_routes
Revises: 0006_replies_slack
Create Date: 2026-12-01 09:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_routes'
down_revision = '0006_replies_slack'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('route', sa.String(length=40), nullable=True))
        batch.create_index('ix_cases_route', ['route'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_cases_route')
        batch.drop_column('route')
