"""claim dossier: contracts and prepayments, company facts (SME, location), the 数电票 date, the dossier's digest

Revision ID: 0010
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column(
            "company_id",
            sa.Integer(),
            sa.ForeignKey("companies.id", name="fk_contracts_company_id_companies"),
            nullable=False,
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("prepayment", sa.BigInteger(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("scan", sa.LargeBinary(), nullable=True),
        sa.Column("scan_name", sa.String(200), nullable=False),
        sa.Column(
            "created_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_contracts_created_by_id_users"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_contracts_amount_positive"),
        sa.CheckConstraint("prepayment >= 0", name="ck_contracts_prepayment_not_negative"),
        sa.CheckConstraint("status IN ('active', 'closed', 'terminated')", name="ck_contracts_contract_status"),
        sa.UniqueConstraint("number", name="uq_contracts_number"),
    )
    op.create_index("ix_contracts_company_id", "contracts", ["company_id"])
    op.create_table(
        "prepayments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "contract_id",
            sa.Integer(),
            sa.ForeignKey("contracts.id", name="fk_prepayments_contract_id_contracts"),
            nullable=False,
        ),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_prepayments_amount_positive"),
    )
    op.create_index("ix_prepayments_contract_id", "prepayments", ["contract_id"])
    for table in ("invoices", "bookings"):
        _add_reference(table, "contract_id", "contracts")
        op.create_index(f"ix_{table}_contract_id", table, ["contract_id"])
    _add_reference("payments", "prepayment_id", "prepayments")
    op.add_column("companies", sa.Column("is_sme", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("companies", sa.Column("sme_source", sa.String(200), server_default="", nullable=False))
    op.add_column("companies", sa.Column("sme_checked_on", sa.Date(), nullable=True))
    op.add_column("companies", sa.Column("in_hohhot", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("invoices", sa.Column("fapiao_issued_on", sa.Date(), nullable=True))
    op.add_column("subsidy_claims", sa.Column("dossier_sha256", sa.String(64), nullable=True))


def _add_reference(table: str, column: str, referred: str) -> None:
    """A nullable foreign key column (SQLite: inline, as ALTER TABLE cannot add a named constraint there; a batch
    copy of invoices would break the triggers that freeze them)."""
    name = f"fk_{table}_{column}_{referred}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {referred} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), sa.ForeignKey(f"{referred}.id", name=name)))


COLUMNS = (
    ("payments", "prepayment_id"),
    ("bookings", "contract_id"),
    ("invoices", "contract_id"),
    ("subsidy_claims", "dossier_sha256"),
    ("invoices", "fapiao_issued_on"),
    ("companies", "in_hohhot"),
    ("companies", "sme_checked_on"),
    ("companies", "sme_source"),
    ("companies", "is_sme"),
)


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): a batch copy of invoices would break the triggers that freeze them
    for table in ("invoices", "bookings"):
        op.drop_index(f"ix_{table}_contract_id", table)
    for table, column in COLUMNS:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("prepayments")
    op.drop_table("contracts")
