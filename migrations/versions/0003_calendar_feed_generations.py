"""calendar feed generations: a company's or a vessel's subscription URL can be replaced

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("companies", "equipment")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("feed_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("feed_generation")
