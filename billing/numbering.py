"""Document numbers: `PP-2026-00017` for invoices, `CN-2026-00003` for credit notes, `SC-2026-001` for claims.

A number is PREFIX-YEAR-SEQUENCE: 1–10 capital letters, a four-digit year and a zero-padded
sequence that starts at 1 each year (the app assigns it gap-free when the document is issued).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INVOICE_PREFIX = "PP"
CREDIT_NOTE_PREFIX = "CN"
CLAIM_PREFIX = "SC"
INVOICE_DIGITS = 5
CLAIM_DIGITS = 3

_PREFIX = re.compile(r"[A-Z]{1,10}", re.ASCII)
_NUMBER = re.compile(r"([A-Z]{1,10})-([0-9]{4})-([0-9]{3,})", re.ASCII)


@dataclass(frozen=True)
class DocumentNumber:
    prefix: str
    year: int
    seq: int


def document_number(prefix: str, year: int, seq: int, digits: int) -> str:
    """PREFIX-YEAR-SEQ with the sequence zero padded to `digits`; ValueError when it does not fit."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"prefix must be 1–10 capital letters, not {prefix!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must have four digits, not {year}")
    if not 1 <= seq < 10**digits:
        raise ValueError(f"sequence must be between 1 and {10**digits - 1}, not {seq}")
    return f"{prefix}-{year}-{seq:0{digits}d}"


def invoice_number(prefix: str, year: int, seq: int) -> str:
    """An invoice or credit-note number, e.g. invoice_number("PP", 2026, 17) == "PP-2026-00017"."""
    return document_number(prefix, year, seq, INVOICE_DIGITS)


def claim_number(year: int, seq: int, prefix: str = CLAIM_PREFIX) -> str:
    """A subsidy claim number, e.g. claim_number(2026, 1) == "SC-2026-001"."""
    return document_number(prefix, year, seq, CLAIM_DIGITS)


def parse_document_number(text: str) -> DocumentNumber:
    """The parts of any number made by this module; ValueError for anything else."""
    match = _NUMBER.fullmatch(text)
    if not match:
        raise ValueError(f"not a document number like PP-2026-00017: {text!r}")
    prefix, year, seq = match.groups()
    if int(seq) == 0:
        raise ValueError(f"sequence cannot be zero: {text!r}")
    return DocumentNumber(prefix, int(year), int(seq))


def parse_invoice_number(text: str) -> DocumentNumber:
    """The parts of an invoice or credit-note number (five-digit sequence)."""
    number = parse_document_number(text)
    if text != invoice_number(number.prefix, number.year, number.seq):
        raise ValueError(f"not an invoice number like PP-2026-00017: {text!r}")
    return number
