"""A SHA-256 of the whole ledger, row for row: invoices and credit notes, their lines, and payments; and one
of every table (companies, users and their roles, tokens, bookings, …) for checking a restore.

The subsidy claim's digest (`billing.ledger_digest`) covers one year's issued documents as the subsidy rule
reads them; this one covers every row and column of the ledger tables, drafts included, so that a restored
database can be checked against the backup it came from.
"""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Base, Invoice, InvoiceLine, Payment

DIGEST_VERSION = "books-v1"
TABLES = (Invoice.__table__, InvoiceLine.__table__, Payment.__table__)


CONTENT_VERSION = "tables-v1"


def ledger_rows(session: Session, tables=TABLES) -> dict[str, list[list]]:
    """Every row of `tables` (default: the ledger's) in key order, as lists of column values."""
    return {
        table.name: [list(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in tables
    }


def ledger_sha256(session: Session) -> str:
    """SHA-256 (hex) of the compact JSON ["books-v1", {table: rows}]; money, dates and times as text."""
    return _sha256([DIGEST_VERSION, ledger_rows(session)])


def content_sha256(session: Session) -> str:
    """SHA-256 (hex) of every row of every table of the models, the same way."""
    return _sha256([CONTENT_VERSION, ledger_rows(session, Base.metadata.sorted_tables)])


def _sha256(document: list) -> str:
    text = json.dumps(document, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
