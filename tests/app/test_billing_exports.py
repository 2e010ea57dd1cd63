"""Finance exports invoices, lines and payments as CSV and XLSX; text that a spreadsheet would run as a formula
is defused with a leading quote, while amounts stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.documents.spreadsheets import safe_cell
from app.platform.db import db_session
from app.services.finance import billing_exports
from tests.app.billing_data import LINE, issued_invoice

EVIL = '=HYPERLINK("http://evil.example","点击")'


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+2", "'=1+2"),
        ("+86 471", "'+86 471"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("工艺放大", "工艺放大"),
        (Decimal("-3180.00"), Decimal("-3180.00")),
        (5, 5),
        (None, None),
    ],
)
def test_only_text_that_could_run_as_a_formula_gets_a_leading_quote(value, safe):
    assert safe_cell(value) == safe


@pytest.fixture
def ledger(app, client, make_user, make_company, token_for):
    """An invoice with a formula in its line, its whole credit note, and a customer named like a formula."""
    finance_email = make_user("finance")
    company_id, _ = make_company("+ACME 生物")
    invoice_id = issued_invoice(app, finance_email, company_id, [{**LINE, "description": EVIL}])
    headers = token_for(finance_email)
    client.post(f"/api/v1/invoices/{invoice_id}/credit-notes", json={"reason": "-重复"}, headers=headers)
    return finance_email


def rows_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_exports_defuse_formulas_and_keep_amounts_as_numbers(client, ledger, sign_in):
    sign_in(ledger)
    invoices = rows_of_csv(client.get("/finance/invoices/export/invoices.csv").data)
    assert invoices[0][:4] == ["单据号码", "类型", "状态", "客户"]
    by_kind = {row[1]: row for row in invoices[1:]}
    assert by_kind["发票"][3] == "'+ACME 生物" and by_kind["发票"][2] == "作废"
    assert by_kind["红字发票"][9] == "-2120.00" and by_kind["红字发票"][15] == "'-重复"
    lines = rows_of_csv(client.get("/finance/invoices/export/lines.csv").data)
    assert {row[4] for row in lines[1:]} == {"'" + EVIL}
    assert rows_of_csv(client.get("/finance/invoices/export/payments.csv").data) == [
        ["单据号码", "客户", "收款日期", "金额", "备注"]
    ]


def test_the_xlsx_exports_defuse_formulas_and_keep_amounts_as_numbers(client, ledger, sign_in):
    sign_in(ledger)
    response = client.get("/finance/invoices/export/lines.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert {row[4].value for row in rows} == {"'" + EVIL} and all(row[4].data_type == "s" for row in rows)
    assert sorted(row[11].value for row in rows) == [-2000, 2000]
    assert all(row[11].data_type == "n" for row in rows)
    invoices = load_workbook(io.BytesIO(client.get("/finance/invoices/export/invoices.xlsx").data)).active
    assert {row[3].value for row in invoices.iter_rows(min_row=2)} == {"'+ACME 生物"}


def test_exports_are_for_finance_only_and_unknown_ones_are_not_found(client, ledger, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    assert client.get("/finance/invoices/export/invoices.csv").status_code == 403
    sign_in(ledger)
    assert client.get("/finance/invoices/export/secrets.csv").status_code == 404
    assert client.get("/finance/invoices/export/invoices.pdf").status_code == 404


def test_every_csv_download_names_its_charset_once(client, ledger, sign_in, make_user):
    sign_in(ledger)
    export = client.get("/finance/invoices/export/payments.csv")
    sign_in(make_user("operator"))
    report = client.get("/reports/utilisation.csv?year=2026&month=3")
    assert [export.content_type, report.content_type] == ["text/csv; charset=utf-8"] * 2


@pytest.mark.parametrize("name, fmt", [("invoices", "csv"), ("lines", "xlsx"), ("payments", "csv")])
def test_an_export_of_many_rows_is_made_by_a_job_whose_file_is_the_same_download(
    app, client, ledger, sign_in, monkeypatch, name, fmt
):
    sign_in(ledger)
    url = f"/finance/invoices/export/{name}.{fmt}"
    at_once = client.get(url).data
    monkeypatch.setitem(app.config, "EXPORT_JOB_FROM_ROWS", 0)
    answer = client.get(url)
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"{name}.{fmt}" in page
    made = client.get(answer.headers["Location"] + "/file")
    assert made.headers["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    if fmt == "csv":
        assert made.data == at_once
    else:
        assert rows_of_xlsx(made.data) == rows_of_xlsx(at_once)


def rows_of_xlsx(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))


@pytest.mark.parametrize("name", ["invoices", "lines", "payments"])
@pytest.mark.parametrize("year", [None, 2026, 2001])
def test_the_row_count_that_decides_on_a_job_is_the_tables_length(app, ledger, name, year):
    with app.app_context():
        session = db_session()
        rows = billing_exports.table(session, name, date(2026, 6, 1), year).rows
        assert billing_exports.row_count(session, name, year) == len(rows)
