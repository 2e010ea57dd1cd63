"""Every CSV and XLSX download, found from the url_map, defuses a company name written as a formula; and only
the one table writer in app/documents/spreadsheets.py makes spreadsheets."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.services.finance import billing_exports
from tests.app.billing_data import LINE, issued_invoice, make_booking
from tests.app.test_architecture import ROOT, imported_top_level_modules

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOSTILE = '=HYPERLINK("http://evil.example","x")'
EXPORT_RULE = re.compile(r"csv|xlsx|export|<fmt>")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # a negative amount written as text is no formula

#: each export route and the URLs that fill it ({claim}: the hostile company's claim; a POST names its form, an
#: /api/ URL is asked with finance's token); a new export route fails the test until it is listed here
EXPORTS = {
    "/reports/utilisation.csv": ["/reports/utilisation.csv?year=2026&month=3"],
    "/reports/service-hours.csv": ["/reports/service-hours.csv?year=2026&month=3"],
    "/finance/invoices/export/<name>.<fmt>": [
        f"/finance/invoices/export/{name}.{fmt}" for name in billing_exports.NAMES for fmt in ("csv", "xlsx")
    ],
    "/finance/etax/export": [
        ("/finance/etax/export", {"export-invoice_type": "ordinary", "export-invoice_ids": "{invoice}"})
    ],
    "/finance/etax/red-letter.xlsx": ["/finance/etax/red-letter.xlsx"],
    "/subsidy/claims/<number>/dossier.xlsx": ["/subsidy/claims/{claim}/dossier.xlsx"],
    "/api/v1/subsidy/claims/<number>/dossier.xlsx": ["/api/v1/subsidy/claims/{claim}/dossier.xlsx"],
}


def export_rules(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if EXPORT_RULE.search(rule.rule)}


def cells_of(response) -> list[str]:
    """Every text cell of a CSV or XLSX download."""
    if response.mimetype == "text/csv":
        return [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
    sheets = load_workbook(io.BytesIO(response.data)).worksheets
    return [cell.value for sheet in sheets for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


@pytest.fixture
def hostile_books(app, client, make_company, make_user, add_equipment, token_for):
    """A company named like a formula with a March 2026 batch and an issued, paid invoice; staff who export."""
    add_equipment("LF100-1", "liquid", 100)
    company_id, _ = make_company(HOSTILE)
    make_booking(app, company_id, vessel="LF100-1")
    finance = make_user("finance")
    invoice_id = issued_invoice(app, finance, company_id, [LINE])
    paid = client.post(
        f"/api/v1/invoices/{invoice_id}/payments",
        headers=token_for(finance),
        json={"amount": "100.00", "received_on": datetime.now(SHANGHAI).date().isoformat()},
    )
    assert paid.status_code == 201, paid.get_json()
    client.post(f"/api/v1/invoices/{invoice_id}/credit-notes", headers=token_for(finance), json={"reason": HOSTILE})
    year = datetime.now(SHANGHAI).year
    unpaid = issued_invoice(app, finance, company_id, [LINE])
    claim = client.post(f"/api/v1/subsidy/{year}/claims", headers=token_for(finance)).get_json()
    return {
        "finance": finance,
        "operator": make_user("operator"),
        "token": token_for(finance),
        "claim": claim["number"],
        "invoice": unpaid,
    }


def test_every_export_route_is_in_the_table(app):
    assert export_rules(app) == set(EXPORTS)


@pytest.mark.parametrize("rule", sorted(EXPORTS))
def test_a_company_named_like_a_formula_is_defused_in_every_export(client, hostile_books, sign_in, rule):
    sign_in(hostile_books["operator" if rule.startswith("/reports") else "finance"])
    for ask in EXPORTS[rule]:
        url, form = ask if isinstance(ask, tuple) else (ask, None)
        url = url.format(**hostile_books)
        if form is not None:
            response = client.post(url, data={name: value.format(**hostile_books) for name, value in form.items()})
        else:
            response = client.get(url, headers=hostile_books["token"] if url.startswith("/api/") else {})
        assert response.status_code == 200, url
        cells = cells_of(response)
        assert not [
            cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not NUMBER.fullmatch(cell)
        ], url
        if {"客户", "公司"} & set(cells):  # a table with a company column
            assert "'" + HOSTILE in cells, url


def test_a_csv_download_names_its_charset_once(client, hostile_books, sign_in):
    sign_in(hostile_books["finance"])
    response = client.get("/finance/invoices/export/invoices.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_only_the_table_writer_makes_spreadsheets():
    writers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "app").rglob("*.py")
        if imported_top_level_modules(path) & {"csv", "openpyxl", "xlsxwriter"}
    )
    assert writers == ["app/documents/spreadsheets.py", "app/platform/tables.py"]
