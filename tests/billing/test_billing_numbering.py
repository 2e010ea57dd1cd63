import pytest

from billing import DocumentNumber, claim_number, invoice_number, parse_document_number, parse_invoice_number


def test_invoice_numbers_have_a_prefix_the_year_and_a_five_digit_sequence():
    assert invoice_number("PP", 2026, 17) == "PP-2026-00017"
    assert invoice_number("CN", 2027, 1) == "CN-2027-00001"
    assert invoice_number("PP", 2026, 99_999) == "PP-2026-99999"


def test_claim_numbers_have_a_three_digit_sequence():
    assert claim_number(2026, 1) == "SC-2026-001"


@pytest.mark.parametrize(
    ("prefix", "year", "seq"), [("pp", 2026, 1), ("", 2026, 1), ("PP", 26, 1), ("PP", 2026, 0), ("PP", 2026, 100_000)]
)
def test_numbers_that_would_not_fit_the_format_are_refused(prefix, year, seq):
    with pytest.raises(ValueError):
        invoice_number(prefix, year, seq)


def test_a_number_parses_back_into_its_parts():
    assert parse_invoice_number("PP-2026-00017") == DocumentNumber("PP", 2026, 17)
    assert parse_document_number("SC-2026-001") == DocumentNumber("SC", 2026, 1)


@pytest.mark.parametrize(
    "text", ["PP-2026-17", "PP-2026-000017", "PP2026-00017", "pp-2026-00017", "PP-2026-00000", " PP-2026-00017"]
)
def test_malformed_invoice_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_invoice_number(text)
