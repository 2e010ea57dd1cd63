"""Tables as CSV and XLSX downloads, safe against formula injection: every export goes through here.

A text cell starting with = + - @ tab or carriage return is prefixed with a single quote, so that a
spreadsheet shows it as text instead of running it (OWASP's advice); numbers and dates stay numbers and dates.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from flask import Response
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | date | bool | None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Cell) -> Cell:
    """The value as it may go into a spreadsheet: risky text gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(safe_cell(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so that Excel reads the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An XLSX workbook with one sheet; amounts stay numbers (two decimals shown)."""
    return to_workbook([(title, headers, rows)])


def to_workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook with a sheet per (title, headers, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        _fill(workbook.create_sheet(title[:31]), headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_template_workbook(sheets: Iterable[tuple[str, Sequence[str], Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook laid out like an import template: per (title, preamble lines, headers, rows) a sheet whose
    preamble takes the first rows, one per line, the headers the next, the data the rest."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, preamble, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for text in preamble:
            sheet.append([text])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    sheet.append(list(headers))
    for row in rows:
        sheet.append([("是" if v else "否") if isinstance(v, bool) else safe_cell(v) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, Decimal) and cell.value.as_tuple().exponent == -2:
                cell.number_format = "0.00"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"


def table_file(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], sheet_title: str = ""
) -> tuple[bytes, str]:
    """The table as CSV or XLSX bytes, by the file name's ending, and its media type."""
    if filename.endswith(".xlsx"):
        return to_xlsx(sheet_title or filename.removesuffix(".xlsx"), headers, rows), XLSX_TYPE
    return to_csv(headers, rows), "text/csv"  # Flask adds "; charset=utf-8" to text types


def table_download(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], sheet_title: str = ""
) -> Response:
    """The table as a download, CSV or XLSX by the file name's ending; the only way tables leave the app."""
    body, mimetype = table_file(filename, headers, rows, sheet_title)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
