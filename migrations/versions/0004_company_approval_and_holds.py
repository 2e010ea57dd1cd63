"""company approval, unique normalised company names, verified e-mail, session generations, request holds,
sign-in throttles instead of the attempts log

Revision ID: 0004
Revises: 0003
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _name_key(name: str) -> str:
    """As app.models.accounts.name_key at the time of this revision (a migration never imports the app)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] not in "PZ")


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column(
                "approval",
                sa.Enum(
                    "pending", "approved", "refused", name="company_approval", native_enum=False, create_constraint=True
                ),
                server_default="approved",
                nullable=False,
            )
        )  # companies before the rule
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("review_note", sa.String(length=500), server_default="", nullable=False))
    _fill_name_keys()
    with op.batch_alter_table("companies") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch.create_index("uq_companies_name_key", ["name_key"], unique=True)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE users SET email_verified_at = created_at")  # accounts before the rule were trusted
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("hold_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index("ix_login_attempts_email_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )


def _fill_name_keys() -> None:
    """Existing names get their key; a repeated one keeps the first company's and the others' carry their id."""
    conn = op.get_bind()
    seen = set()
    for company_id, name in conn.execute(sa.text("SELECT id, name FROM companies ORDER BY id")).all():
        key = _name_key(name)
        if key in seen:
            key = f"{key}#{company_id}"
        seen.add(key)
        conn.execute(sa.text("UPDATE companies SET name_key = :key WHERE id = :id"), {"key": key, "id": company_id})


def downgrade() -> None:
    op.drop_table("login_throttles")
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index("ix_login_attempts_email_at", "login_attempts", ["email", "at"])
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("hold_until")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
        batch.drop_column("email_verified_at")
    with op.batch_alter_table("companies") as batch:
        batch.drop_index("uq_companies_name_key")
        batch.drop_constraint(op.f("ck_companies_company_approval"), type_="check")
        for column in ("review_note", "reviewed_at", "approval", "name_key"):
            batch.drop_column(column)
