"""disruptions: conflicted and aborted bookings, the abort cause, the times before a change, allocations
in conflict (which may overlap others on PostgreSQL's exclusion constraint until the plan is repaired), and the
waiting list

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_STATES = ("requested", "confirmed", "running", "completed", "invoiced", "rejected", "cancelled")
NEW_STATES = OLD_STATES + ("conflicted", "aborted")
CAUSES = ("contamination", "equipment_failure", "customer_request")
EXCLUSION = """
    ALTER TABLE allocations ADD CONSTRAINT ex_allocations_no_overlap
    EXCLUDE USING gist (equipment_id WITH =, tstzrange(start, occupied_until, '[)') WITH &&)
    WHERE ({condition})"""


def _states(values: tuple) -> sa.Enum:
    return sa.Enum(*values, name="booking_status", native_enum=False, create_constraint=True)


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bookings_booking_status"), type_="check")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=9), type_=_states(NEW_STATES), existing_nullable=False
        )
        batch_op.add_column(
            sa.Column(
                "abort_cause",
                sa.Enum(*CAUSES, name="abort_cause", native_enum=False, create_constraint=True),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("previous_times", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_conflict", sa.Boolean(), server_default="0", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE allocations DROP CONSTRAINT ex_allocations_no_overlap")
        op.execute(EXCLUSION.format(condition="active AND NOT in_conflict"))
    _create_waiting_list()


def _create_waiting_list() -> None:
    op.create_table(
        "waiting_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "offered",
                "accepted",
                "declined",
                "expired",
                name="waiting_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("offer_equipment", sa.String(length=32), nullable=False),
        sa.Column("offer_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offer_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_waiting_entries_booking_id_bookings")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_waiting_entries_company_id_companies")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_waiting_entries_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_entries")),
    )
    with op.batch_alter_table("waiting_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waiting_entries_company_id"), ["company_id"], unique=False)
        batch_op.create_index("ix_waiting_entries_status_order", ["status", "priority", "joined_at"], unique=False)


def downgrade() -> None:
    op.drop_table("waiting_entries")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE allocations DROP CONSTRAINT ex_allocations_no_overlap")
        op.execute(EXCLUSION.format(condition="active"))
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_column("in_conflict")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("previous_times")
        batch_op.drop_constraint(op.f("ck_bookings_abort_cause"), type_="check")
        batch_op.drop_column("abort_cause")
        batch_op.drop_constraint(op.f("ck_bookings_booking_status"), type_="check")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=10), type_=_states(OLD_STATES), existing_nullable=False
        )
