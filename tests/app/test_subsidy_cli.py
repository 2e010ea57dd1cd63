"""`flask --app wsgi subsidy claim YEAR --out FILE.pdf` creates the year's claim and writes its PDF."""

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Company, SubsidyClaim
from tests.app.subsidy_books import Books
from tests.app.test_cli import run
from tests.factories import valid_uscc


def add_ledger(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as session:
        company = Company(name="庚生物制造有限公司", uscc=valid_uscc(9001), contact_name="王工", email="g@example.com")
        session.add(company)
        session.commit()
        company_id = company.id
    books = Books(engine)
    books.invoice(company_id, date(2026, 4, 1), "12345.67")
    books.invoice(company_id, date(2026, 8, 1), "54321.00")
    engine.dispose()


def test_the_command_creates_the_claim_and_writes_its_pdf(cli_database, tmp_path):
    assert run(cli_database, "db", "upgrade").returncode == 0
    add_ledger(cli_database)
    out = tmp_path / "claim.pdf"
    result = run(cli_database, "subsidy", "claim", "2026", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "SC-2026-001" in result.stdout and "20000.00" in result.stdout
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages).replace(" ", "")
    assert "SC-2026-001" in text and "66,666.67" in text and "贰万元整" in text and "PP-2026-00002" in text
    engine = create_engine(cli_database.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as session:
        assert session.scalars(select(SubsidyClaim.number)).all() == ["SC-2026-001"]
    engine.dispose()


def test_a_year_without_revenue_fails_with_a_message(cli_database, tmp_path):
    run(cli_database, "db", "upgrade")
    result = run(cli_database, "subsidy", "claim", "2026", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode != 0 and "没有可申报的服务性收入" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_subsidy_commands_have_help():
    for command in (("subsidy",), ("subsidy", "claim")):
        result = run("sqlite://", *command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout
