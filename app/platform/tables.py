"""Reading uploaded tables row by row: an XLSX workbook's first sheet, or CSV text in UTF-8 (with or without BOM)
or GBK, separated by commas, semicolons or tabs. Writing tables is app/documents/spreadsheets.py's work."""

import csv
import io
from collections.abc import Iterator

from openpyxl import load_workbook

from app.platform.errors import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = (",", ";", "\t")


def numbered_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """The non-blank rows, with their 1-based lines, of an uploaded XLSX (its first sheet) or CSV (UTF-8 with or
    without BOM, or GBK; comma, semicolon or tab); `ValidationFailed` naming what cannot be read."""
    if data.startswith(XLSX_MAGIC):
        return _xlsx_lines(data)
    return _csv_lines(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise ValidationFailed(
                "文件既不是 UTF-8 也不是 GBK 编码的文本，也不是 XLSX 工作簿",
                {"file": f"无法识别的字节（第 {error.start} 字节）"},
            ) from None


def _csv_lines(text: str) -> Iterator[tuple[int, list]]:
    separator = max(SEPARATORS, key=text.split("\n", 1)[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    return ((reader.line_num, row) for row in reader if any(cell.strip() for cell in row))


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationFailed("XLSX 工作簿已损坏，无法打开", {"file": "无法打开工作簿"}) from None
    return (
        (n, list(row))
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        if any(cell not in (None, "") for cell in row)
    )
