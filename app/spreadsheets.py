"""Tables as CSV and XLSX downloads, safe against formula injection.

A text cell starting with = + - @ tab or carriage return is prefixed with a single quote, so that a
spreadsheet shows it as text instead of running it; numbers and dates stay numbers and dates.
"""
import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | date | bool | None


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
