"""`flask --app wsgi backup` and `restore`: a round trip brings the ledger back row for row; a backup that
does not check out against its manifest (truncated, edited, unmatched) changes nothing."""

import json
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.models import Company, Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payment
from app.ops.backup import MAGIC, default_path, file_sha256, libpq_env
from app.services.finance.ledger_digest import content_sha256, ledger_rows, ledger_sha256
from tests.app.subsidy_books import Books
from tests.app.test_cli import run
from tests.factories import valid_uscc

HEAD = ScriptDirectory(str(Path(__file__).parents[2] / "migrations")).get_current_head()


def engine_of(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def line(position: int, description: str, quantity: str, unit_price: str) -> InvoiceLine:
    amount = Decimal(quantity) * Decimal(unit_price)
    return InvoiceLine(
        position=position,
        description=description,
        quantity=Decimal(quantity),
        unit="天",
        unit_price=Decimal(unit_price),
        tax_rate=Decimal("0.06"),
        amount=amount,
    )


def seed_ledger(url: str) -> None:
    """An issued invoice with two lines, paid; another voided by a credit note; a draft with a line."""
    engine = engine_of(url)
    with Session(engine) as session:
        company = Company(name="辛生物科技有限公司", uscc=valid_uscc(9101), contact_name="李工", email="x@example.com")
        session.add(company)
        session.flush()
        issued = Invoice(
            company_id=company.id,
            customer_name=company.name,
            subtotal=Decimal("2999.99"),
            tax=Decimal("180.00"),
            total=Decimal("3179.99"),
            service_subtotal=Decimal("2999.99"),
            lines=[line(1, "工艺放大技术服务", "2", "1000.00"), line(2, "发酵罐使用", "1.5", "666.66")],
        )
        session.add_all([issued, Invoice(company_id=company.id, lines=[line(1, "下游提取验证", "1", "800.00")])])
        session.commit()
        issued.status, issued.number = InvoiceStatus.ISSUED, "PP-2026-00001"
        issued.issued_at, issued.issued_on = datetime(2026, 3, 2, 2, tzinfo=UTC), date(2026, 3, 2)
        session.commit()
        company_id, issued_id = company.id, issued.id
    books = Books(engine)
    books.pay(issued_id, "3179.99", date(2026, 3, 20))
    books.credit(books.invoice(company_id, date(2026, 4, 1), "500.00", number="PP-2026-00002"), date(2026, 4, 9))
    engine.dispose()


def change_ledger(url: str) -> None:
    """What happens after a backup: the payment and the draft deleted, a new invoice issued."""
    engine = engine_of(url)
    with Session(engine) as session:
        session.execute(delete(Payment))
        drafts = select(Invoice.id).where(Invoice.status == InvoiceStatus.DRAFT)
        session.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id.in_(drafts)))
        session.execute(delete(Invoice).where(Invoice.id.in_(drafts)))
        session.commit()
        company_id = session.scalar(select(Company.id))
    Books(engine).invoice(company_id, date(2026, 5, 1), "999.00", number="PP-2026-00099")
    engine.dispose()


def ledger_of(url: str) -> tuple[dict, str]:
    engine = engine_of(url)
    with Session(engine) as session:
        books = ledger_rows(session), ledger_sha256(session)
    engine.dispose()
    return books


def tables_of(url: str) -> str:
    """The digest of every table of the database at `url`."""
    engine = engine_of(url)
    with Session(engine) as session:
        digest = content_sha256(session)
    engine.dispose()
    return digest


@pytest.fixture
def backed_up(cli_database, tmp_path) -> Path:
    """A database with a ledger, backed up to a file, then changed (so a restore would show)."""
    assert run(cli_database, "db", "upgrade").returncode == 0
    seed_ledger(cli_database)
    out = tmp_path / "pilot.backup"
    made = run(cli_database, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    change_ledger(cli_database)
    return out


def edit_manifest(backup: Path, **changes) -> None:
    beside = backup.with_name(backup.name + ".json")
    beside.write_text(json.dumps({**json.loads(beside.read_text()), **changes}))


def refused(url: str, backup: Path, message: str) -> None:
    """The restore fails with `message`, leaves the database as it was and no half-restored copy behind."""
    before = tables_of(url)
    result = run(url, "restore", str(backup), "--yes")
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
    assert tables_of(url) == before
    assert not list(backup.parent.parent.rglob("*.restoring"))
    if url.startswith("postgresql"):
        engine = engine_of(url.rsplit("/", 1)[0] + "/postgres")
        with engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
        engine.dispose()
        assert not [name for name in names if name.endswith(("_restoring", "_replaced"))]


def test_a_truncated_backup_is_refused_before_anything_changes(cli_database, backed_up):
    backed_up.write_bytes(backed_up.read_bytes()[: backed_up.stat().st_size // 2])
    refused(cli_database, backed_up, "truncated or was changed")


def test_a_backup_without_its_manifest_is_refused(cli_database, backed_up):
    backed_up.with_name(backed_up.name + ".json").unlink()
    refused(cli_database, backed_up, "no manifest")


def test_a_backup_whose_tables_differ_from_its_manifest_is_refused_before_the_swap(cli_database, backed_up):
    edit_manifest(backed_up, content_sha256="0" * 64)
    refused(cli_database, backed_up, "differs from the manifest")


def test_a_backup_with_a_user_made_admin_and_its_file_digest_redone_is_refused(cli_database, backed_up):
    if not cli_database.startswith("sqlite"):
        pytest.skip("edits the SQLite backup file in place")
    with sqlite3.connect(backed_up) as edited:
        edited.execute(
            "INSERT INTO users (email, name, password_hash, role, is_company_admin, active, created_at) "
            "VALUES ('mallory@example.com', '', 'x', 'admin', 0, 1, '2026-03-01 00:00:00.000000')"
        )
    edit_manifest(backed_up, file_sha256=file_sha256(backed_up))
    refused(cli_database, backed_up, "differs from the manifest")


def test_a_restored_backup_gives_back_the_ledger_row_for_row(cli_database, tmp_path):
    assert run(cli_database, "db", "upgrade").returncode == 0
    seed_ledger(cli_database)
    original = ledger_of(cli_database)
    rows = original[0]
    assert len(rows["invoices"]) == 4 and len(rows["invoice_lines"]) == 3 and len(rows["payments"]) == 1
    assert InvoiceKind.CREDIT_NOTE in (row[1] for row in rows["invoices"])

    out = tmp_path / "pilot.backup"
    made = run(cli_database, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert str(out) in made.stdout and original[1] in made.stdout
    manifest = json.loads((tmp_path / "pilot.backup.json").read_text())
    assert manifest["ledger_sha256"] == original[1] and manifest["revision"] == HEAD

    change_ledger(cli_database)
    assert ledger_of(cli_database) != original
    restored = run(cli_database, "restore", str(out), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "match the manifest" in restored.stdout and original[1] in restored.stdout
    assert ledger_of(cli_database) == original
    assert manifest["file_sha256"] == file_sha256(out) and manifest["content_sha256"] == tables_of(cli_database)


def test_restore_asks_first_and_stops_at_no(tmp_path):
    backup = tmp_path / "pilot.sqlite3"
    backup.write_bytes(MAGIC["sqlite"])
    result = run(f"sqlite:///{tmp_path / 'live.db'}", "restore", str(backup), answer="n\n")
    assert result.returncode != 0 and "Replace everything" in result.stdout and "Aborted" in result.stderr


def test_a_backup_from_the_other_engine_is_refused(cli_database, tmp_path):
    other = "postgresql" if cli_database.startswith("sqlite") else "sqlite"
    backup = tmp_path / "other.backup"
    backup.write_bytes(MAGIC[other] + bytes(32))
    result = run(cli_database, "restore", str(backup), "--yes")
    assert result.returncode != 0 and f"is a {other} backup" in result.stderr


def test_backup_will_not_overwrite_a_file(tmp_path):
    taken = tmp_path / "taken.sqlite3"
    taken.write_text("keep me")
    result = run(f"sqlite:///{tmp_path / 'live.db'}", "backup", "--out", str(taken))
    assert result.returncode != 0 and "already exists" in result.stderr and taken.read_text() == "keep me"


def test_the_default_backup_is_named_by_its_utc_time():
    path = default_path(engine_of("sqlite://"), datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert path.parts[-3:] == ("instance", "backups", "pilot-20260302T080000Z.sqlite3")


def test_pg_tools_get_the_password_from_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg://pilot:s%40cret@db.example:5433/pilot?sslmode=require")
    assert libpq_env(url) == {
        "PGHOST": "db.example",
        "PGPORT": "5433",
        "PGUSER": "pilot",
        "PGPASSWORD": "s@cret",
        "PGDATABASE": "pilot",
        "PGSSLMODE": "require",
    }


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_have_help(command):
    result = run("sqlite://", command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
