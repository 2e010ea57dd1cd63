"""waiting for an earlier slot: a waiting entry may name the booking an accepted offer would move

Revision ID: 0012
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("waiting_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces_booking_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_waiting_entries_replaces_booking_id_bookings"), "bookings", ["replaces_booking_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_waiting_entries_replaces_booking_id"), ["replaces_booking_id"])


def downgrade() -> None:
    with op.batch_alter_table("waiting_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waiting_entries_replaces_booking_id"))
        batch_op.drop_constraint(batch_op.f("fk_waiting_entries_replaces_booking_id_bookings"), type_="foreignkey")
        batch_op.drop_column("replaces_booking_id")
