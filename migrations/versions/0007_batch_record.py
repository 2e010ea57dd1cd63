"""the batch itself: record entries and signatures (frozen once signed off), the customer's acceptance, process data
(saved tag mappings per vessel, upload versions, tags and compressed chunks)

Revision ID: 0007
Revises: 0010 (this branch merged main, whose head was 0010)
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tag_mappings",
        sa.Column("equipment_id", sa.Integer(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["equipment_id"], ["equipment.id"], name=op.f("fk_tag_mappings_equipment_id_equipment")
        ),
        sa.PrimaryKeyConstraint("equipment_id", name=op.f("pk_tag_mappings")),
    )
    op.create_table(
        "process_data_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("equipment_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_process_data_sets_booking_id_bookings")),
        sa.ForeignKeyConstraint(
            ["equipment_id"], ["equipment.id"], name=op.f("fk_process_data_sets_equipment_id_equipment")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_process_data_sets_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_data_sets")),
        sa.UniqueConstraint("booking_id", "version", name="uq_process_data_sets_booking_version"),
    )
    op.create_index(op.f("ix_process_data_sets_booking_id"), "process_data_sets", ["booking_id"])
    op.create_table(
        "process_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_set_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("stored_bytes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_set_id"], ["process_data_sets.id"], name=op.f("fk_process_tags_data_set_id_process_data_sets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_tags")),
        sa.UniqueConstraint("data_set_id", "name", name="uq_process_tags_data_set_name"),
    )
    op.create_table(
        "process_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("times", sa.LargeBinary(), nullable=False),
        sa.Column("values", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["process_tags.id"], name=op.f("fk_process_chunks_tag_id_process_tags")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_chunks")),
    )
    op.create_index("ix_process_chunks_tag_last_at", "process_chunks", ["tag_id", "last_at"])
    op.create_table(
        "process_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_process_uploads_booking_id_bookings")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_process_uploads_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_uploads")),
    )
    _record_tables()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER batch_entries_signed ON batch_entries")
        op.execute("DROP TRIGGER batch_signatures_final ON batch_signatures")
        op.execute("DROP FUNCTION refuse_change_to_signed_record()")
        op.execute("DROP FUNCTION refuse_change_to_signature()")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger}")
    for table in ("acceptances", "batch_entries", "batch_signatures"):
        op.drop_index(op.f(f"ix_{table}_booking_id"), table_name=table)
        op.drop_table(table)
    op.drop_table("process_uploads")
    op.drop_index("ix_process_chunks_tag_last_at", table_name="process_chunks")
    op.drop_table("process_chunks")
    op.drop_table("process_tags")
    op.drop_index(op.f("ix_process_data_sets_booking_id"), table_name="process_data_sets")
    op.drop_table("process_data_sets")
    op.drop_table("tag_mappings")


def _record_tables() -> None:
    op.create_table(
        "batch_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column(
            "meaning",
            sa.Enum(
                "signoff",
                "review",
                "addendum",
                name="signature_meaning",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("statement", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_batch_signatures_booking_id_bookings")),
        sa.ForeignKeyConstraint(["signed_by_id"], ["users.id"], name=op.f("fk_batch_signatures_signed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_signatures")),
    )
    op.create_index(op.f("ix_batch_signatures_booking_id"), "batch_signatures", ["booking_id"])
    op.create_table(
        "batch_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "phase",
                "material",
                "assay",
                "sample",
                "deviation",
                name="entry_kind",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=True),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_batch_entries_booking_id_bookings")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_batch_entries_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["signature_id"], ["batch_signatures.id"], name=op.f("fk_batch_entries_signature_id_batch_signatures")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["batch_entries.id"], name=op.f("fk_batch_entries_supersedes_id_batch_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_entries")),
    )
    op.create_index(op.f("ix_batch_entries_booking_id"), "batch_entries", ["booking_id"])
    op.create_table(
        "acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("usage", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "accepted",
                "disputed",
                name="acceptance_state",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=False,
        ),
        sa.Column("by_silence", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"], name=op.f("fk_acceptances_booking_id_bookings")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"], name=op.f("fk_acceptances_answered_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptances")),
        sa.UniqueConstraint("booking_id", "round", name="uq_acceptances_booking_round"),
    )
    op.create_index(op.f("ix_acceptances_booking_id"), "acceptances", ["booking_id"])


# A signed-off record is frozen: its entries never change, new ones come only with an addendum's signature,
# and no signature ever changes.
SIGNED_MESSAGE = "signed batch records are frozen: correct them with a signed addendum"
SIGNED_OFF = "EXISTS (SELECT 1 FROM batch_signatures WHERE booking_id = {}.booking_id AND meaning = 'signoff')"


def _postgresql_guards() -> None:
    op.execute(f"""
        CREATE FUNCTION refuse_change_to_signed_record() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' AND NEW.signature_id IS NULL AND {SIGNED_OFF.format("NEW")}
             OR TG_OP <> 'INSERT' AND {SIGNED_OFF.format("OLD")} THEN
            RAISE EXCEPTION '{SIGNED_MESSAGE}';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$ LANGUAGE plpgsql""")
    op.execute(f"""
        CREATE FUNCTION refuse_change_to_signature() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{SIGNED_MESSAGE}';
        END $$ LANGUAGE plpgsql""")
    op.execute("""CREATE TRIGGER batch_entries_signed BEFORE INSERT OR UPDATE OR DELETE ON batch_entries
                  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_signed_record()""")
    op.execute("""CREATE TRIGGER batch_signatures_final BEFORE UPDATE OR DELETE ON batch_signatures
                  FOR EACH ROW EXECUTE FUNCTION refuse_change_to_signature()""")


SQLITE_TRIGGERS = (
    "batch_entries_signed_insert",
    "batch_entries_signed_update",
    "batch_entries_signed_delete",
    "batch_signatures_final_update",
    "batch_signatures_final_delete",
)


def _sqlite_guards() -> None:
    abort = f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END"
    op.execute(
        f"CREATE TRIGGER batch_entries_signed_insert BEFORE INSERT ON batch_entries "
        f"WHEN NEW.signature_id IS NULL AND {SIGNED_OFF.format('NEW')} {abort}"
    )
    for event in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER batch_entries_signed_{event} BEFORE {event.upper()} ON batch_entries "
            f"WHEN {SIGNED_OFF.format('OLD')} {abort}"
        )
        op.execute(f"CREATE TRIGGER batch_signatures_final_{event} BEFORE {event.upper()} ON batch_signatures {abort}")
