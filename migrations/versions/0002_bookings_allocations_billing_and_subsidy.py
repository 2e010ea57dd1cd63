"""bookings, allocations, billing and subsidy

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_customer_groups_name")),
    )
    op.create_table(
        "number_sequences",
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_number_sequences")),
    )
    op.create_table(
        "price_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("handling_rate", sa.BigInteger(), nullable=False),
        sa.Column("materials_tax_rate", sa.BigInteger(), nullable=False),
        sa.Column("cancellation_rate", sa.BigInteger(), nullable=True),
        sa.Column("cancellation_fixed_fee", sa.BigInteger(), nullable=True),
        sa.Column("cancellation_tax_rate", sa.BigInteger(), nullable=False),
        sa.Column("cancellation_is_service", sa.Boolean(), nullable=False),
        sa.Column("cancellation_notice_h", sa.Integer(), nullable=False),
        sa.Column("vessel_day_step", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_lists")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_price_lists_effective_from")),
    )
    op.create_table(
        "subsidy_policies",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_subsidy_policies")),
    )
    op.create_table(
        "price_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("price_list_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate", sa.BigInteger(), nullable=False),
        sa.Column("is_service", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_list_id"], ["price_lists.id"], name=op.f("fk_price_items_price_list_id_price_lists")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_items")),
        sa.UniqueConstraint("price_list_id", "code", name="uq_price_items_list_code"),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "service",
            sa.Enum("scale_up", "production", "extraction", name="service", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum("liquid", "solid", "downstream", name="booking_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("working_volume_l", sa.Float(), nullable=False),
        sa.Column("duration_h", sa.Float(), nullable=False),
        sa.Column("earliest_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organism", sa.String(length=200), nullable=False),
        sa.Column("organism_family", sa.String(length=100), nullable=False),
        sa.Column("biosafety_level", sa.Integer(), nullable=False),
        sa.Column("extraction", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "confirmed",
                "running",
                "completed",
                "invoiced",
                "rejected",
                "cancelled",
                name="booking_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("status_reason", sa.String(length=500), nullable=False),
        sa.Column("quote_subtotal", sa.BigInteger(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actual_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("steam_t", sa.BigInteger(), nullable=True),
        sa.Column("power_kwh", sa.BigInteger(), nullable=True),
        sa.Column("operator_h", sa.BigInteger(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=True),
        sa.CheckConstraint("duration_h > 0", name=op.f("ck_bookings_duration_positive")),
        sa.CheckConstraint("earliest_start < latest_end", name=op.f("ck_bookings_window_ordered")),
        sa.CheckConstraint("working_volume_l > 0", name=op.f("ck_bookings_volume_positive")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_bookings_company_id_companies")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_bookings_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("reference", name=op.f("uq_bookings_reference")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_company_status", ["company_id", "status"], unique=False)

    op.create_table(
        "subsidy_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "submitted", name="claim_status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("eligible_revenue", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("invoice_count", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("verification_code", sa.String(length=32), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_subsidy_claims_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_claims")),
        sa.UniqueConstraint("number", name=op.f("uq_subsidy_claims_number")),
        sa.UniqueConstraint("verification_code", name=op.f("uq_subsidy_claims_verification_code")),
    )
    with op.batch_alter_table("subsidy_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subsidy_claims_year"), ["year"], unique=False)

    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("equipment_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum("seed", "main", "downstream", name="stage", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occupied_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint('"end" <= occupied_until', name=op.f("ck_allocations_turnaround_after_end")),
        sa.CheckConstraint('start < "end"', name=op.f("ck_allocations_ordered")),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_allocations_booking_id_bookings")),
        sa.ForeignKeyConstraint(["equipment_id"], ["equipment.id"], name=op.f("fk_allocations_equipment_id_equipment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index("ix_allocations_equipment_start", ["equipment_id", "start"], unique=False)

    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("invoice", "credit_note", name="invoice_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("draft", "issued", name="invoice_status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("credited_invoice_id", sa.Integer(), nullable=True),
        sa.Column("price_list_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("service_subtotal", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("fapiao_number", sa.String(length=20), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("customer_uscc", sa.String(length=18), nullable=False),
        sa.Column("customer_address_phone", sa.String(length=400), nullable=False),
        sa.Column("customer_bank_account", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind = 'invoice' OR credited_invoice_id IS NOT NULL", name=op.f("ck_invoices_credit_note_references")
        ),
        sa.CheckConstraint(
            "status = 'draft' OR (number IS NOT NULL AND issued_at IS NOT NULL)",
            name=op.f("ck_invoices_issued_numbered"),
        ),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_invoices_booking_id_bookings")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_invoices_company_id_companies")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_invoices_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["credited_invoice_id"], ["invoices.id"], name=op.f("fk_invoices_credited_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["price_list_id"], ["price_lists.id"], name=op.f("fk_invoices_price_list_id_price_lists")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name="uq_invoices_number"),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_credited_invoice_id"), ["credited_invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_issued_on"), ["issued_on"], unique=False)

    op.create_table(
        "material_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_cost", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_material_uses_booking_id_bookings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material_uses")),
    )
    with op.batch_alter_table("material_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_material_uses_booking_id"), ["booking_id"], unique=False)

    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate", sa.BigInteger(), nullable=False),
        sa.Column("is_service", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_lines_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_lines_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_payments_created_by_id_users")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_payments_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_invoice_id"), ["invoice_id"], unique=False)

    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_group_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_companies_customer_group_id_customer_groups"),
            "customer_groups",
            ["customer_group_id"],
            ["id"],
        )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE allocations DROP CONSTRAINT ex_allocations_no_overlap")
        for table in ("invoices", "invoice_lines"):
            op.execute(f"DROP TRIGGER {table}_frozen ON {table}")
        op.execute("DROP FUNCTION refuse_change_to_issued_invoice()")
        op.execute("DROP FUNCTION refuse_change_to_issued_invoice_line()")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger}")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_companies_customer_group_id_customer_groups"), type_="foreignkey")
        batch_op.drop_column("customer_group_id")

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_invoice_id"))

    op.drop_table("payments")
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_lines_invoice_id"))

    op.drop_table("invoice_lines")
    with op.batch_alter_table("material_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_material_uses_booking_id"))

    op.drop_table("material_uses")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_issued_on"))
        batch_op.drop_index(batch_op.f("ix_invoices_credited_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_company_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_booking_id"))

    op.drop_table("invoices")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index("ix_allocations_equipment_start")
        batch_op.drop_index(batch_op.f("ix_allocations_booking_id"))

    op.drop_table("allocations")
    with op.batch_alter_table("subsidy_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subsidy_claims_year"))

    op.drop_table("subsidy_claims")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_company_status")

    op.drop_table("bookings")
    op.drop_table("price_items")
    op.drop_table("subsidy_policies")
    op.drop_table("price_lists")
    op.drop_table("number_sequences")
    op.drop_table("customer_groups")


# Issued invoices are frozen: only the official fapiao number may still be recorded on them.
FROZEN_COLUMNS = (
    "kind",
    "status",
    "number",
    "company_id",
    "booking_id",
    "credited_invoice_id",
    "price_list_id",
    "reason",
    "subtotal",
    "tax",
    "total",
    "service_subtotal",
    "issued_at",
    "issued_on",
    "due_on",
    "customer_name",
    "customer_uscc",
    "customer_address_phone",
    "customer_bank_account",
)
FROZEN_MESSAGE = "issued invoices are frozen: correct them with a credit note"


def _postgresql_guards() -> None:
    """No two active allocations overlap on one vessel (turnaround included); issued invoices are frozen."""
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("""
        ALTER TABLE allocations ADD CONSTRAINT ex_allocations_no_overlap
        EXCLUDE USING gist (equipment_id WITH =, tstzrange(start, occupied_until, '[)') WITH &&)
        WHERE (active)""")
    old = ", ".join(f"OLD.{c}" for c in FROZEN_COLUMNS)
    new = ", ".join(f"NEW.{c}" for c in FROZEN_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION refuse_change_to_issued_invoice() RETURNS trigger AS $$
        BEGIN
          IF OLD.status = 'issued' AND (TG_OP = 'DELETE' OR ROW({old}) IS DISTINCT FROM ROW({new})) THEN
            RAISE EXCEPTION '{FROZEN_MESSAGE}';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$ LANGUAGE plpgsql""")
    op.execute(
        """
        CREATE FUNCTION refuse_change_to_issued_invoice_line() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM invoices WHERE status = 'issued'
                     AND id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.invoice_id END,
                                CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.invoice_id END)) THEN
            RAISE EXCEPTION '"""
        + FROZEN_MESSAGE
        + """';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$ LANGUAGE plpgsql"""
    )
    op.execute("""CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices
                  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_issued_invoice()""")
    op.execute("""CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
                  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_issued_invoice_line()""")


SQLITE_TRIGGERS = (
    "invoices_frozen_update",
    "invoices_frozen_delete",
    "invoice_lines_frozen_insert",
    "invoice_lines_frozen_update",
    "invoice_lines_frozen_delete",
)


def _sqlite_guards() -> None:
    """Issued invoices are frozen (SQLite checks allocation overlaps inside BEGIN IMMEDIATE, in the app)."""
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_COLUMNS)
    abort = f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"
    issued = "(SELECT status FROM invoices WHERE id = {}.invoice_id) = 'issued'"
    op.execute(
        f"CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices "
        f"WHEN OLD.status = 'issued' AND ({changed}) {abort}"
    )
    op.execute(f"CREATE TRIGGER invoices_frozen_delete BEFORE DELETE ON invoices WHEN OLD.status = 'issued' {abort}")
    op.execute(
        f"CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines WHEN {issued.format('NEW')} {abort}"
    )
    op.execute(
        f"CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines "
        f"WHEN {issued.format('OLD')} OR {issued.format('NEW')} {abort}"
    )
    op.execute(
        f"CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines WHEN {issued.format('OLD')} {abort}"
    )
