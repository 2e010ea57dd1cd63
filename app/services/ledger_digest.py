"""A SHA-256 of the whole ledger, row for row: invoices and credit notes, their lines, and payments.

The subsidy claim's digest (`billing.ledger_digest`) covers one year's issued documents as the subsidy rule
reads them; this one covers every row and column of the ledger tables, drafts included, so that a restored
database can be checked against the backup it came from.
"""
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Invoice, InvoiceLine, Payment

DIGEST_VERSION = "books-v1"
TABLES = (Invoice.__table__, InvoiceLine.__table__, Payment.__table__)


def ledger_rows(session: Session) -> dict[str, list[list]]:
    """Every row of the ledger tables in id order, as lists of column values (invoices include credit notes)."""
    return {table.name: [list(row) for row in session.execute(select(table).order_by(table.c.id))]
            for table in TABLES}


def ledger_sha256(session: Session) -> str:
    """SHA-256 (hex) of the compact JSON ["books-v1", {table: rows}]; money, dates and times as text."""
    text = json.dumps([DIGEST_VERSION, ledger_rows(session)], default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
