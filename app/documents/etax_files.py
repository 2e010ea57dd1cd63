"""Files exchanged with the tax platform: the batch-import workbook we write, the issued-invoice list we read."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.documents.spreadsheets import to_template_workbook
from app.platform.errors import ValidationFailed
from app.platform.tables import numbered_rows
from billing import Money
from billing.etax import (
    BASIC_COLUMNS,
    BASIC_SHEET,
    DETAIL_COLUMNS,
    DETAIL_SHEET,
    TEMPLATE_VERSION,
    EtaxInvoice,
    IssuedRow,
    basic_row,
    detail_rows,
)

RED_LETTER_COLUMNS = (
    "红字发票号",
    "原发票号",
    "原数电票号码",
    "原开票日期",
    "购买方名称",
    "购买方纳税人识别号",
    "金额",
    "税额",
    "价税合计",
    "红冲原因",
)
#: the issued-invoice list's columns, by the names the tax platform's exports use
ISSUED_COLUMNS = {
    "fapiao_number": ("数电票号码", "数电发票号码", "发票号码"),
    "issued_on": ("开票日期",),
    "buyer_name": ("购买方名称", "购方名称"),
    "buyer_tax_number": ("购买方纳税人识别号", "购买方识别号", "购方识别号", "购买方统一社会信用代码/纳税人识别号"),
    "total": ("价税合计", "价税合计（元）", "价税合计(元)"),
    "serial": ("发票流水号",),
}
REQUIRED = ("fapiao_number", "issued_on", "total")
FAPIAO_NUMBER = re.compile(r"[0-9]{20}")
PREAMBLE = (TEMPLATE_VERSION, "由中试平台系统生成；税率以小数表示（如 0.06），金额不含税。")  # data from the fourth row


def etax_workbook(invoices: list[EtaxInvoice]) -> bytes:
    """The batch-import template filled in: a title row, a note row, the headers, data from the fourth row."""
    return to_template_workbook(
        [
            (BASIC_SHEET, PREAMBLE, BASIC_COLUMNS, [basic_row(invoice) for invoice in invoices]),
            (DETAIL_SHEET, PREAMBLE, DETAIL_COLUMNS, [row for invoice in invoices for row in detail_rows(invoice)]),
        ]
    )


def red_letter_workbook(rows: list[list]) -> bytes:
    return to_template_workbook([("红字确认单信息", PREAMBLE, RED_LETTER_COLUMNS, rows)])


def read_issued(content: bytes) -> list[IssuedRow]:
    """The rows of the tax platform's issued-invoice list (XLSX or CSV, UTF-8 or GBK); an unknown layout or an
    unreadable cell is refused naming the line and the column."""
    table = list(numbered_rows(content))
    at, columns = _header([cells for _, cells in table])
    rows = [_issued_row(line, cells, columns) for line, cells in table[at + 1 :]]
    if not rows:
        raise _refused("文件中没有发票数据")
    return rows


def _header(table: list[list]) -> tuple[int, dict[str, int]]:
    for at, cells in enumerate(table[:10]):
        names = [str(cell or "").strip() for cell in cells]
        columns = {
            key: names.index(alias) for key, aliases in ISSUED_COLUMNS.items() for alias in aliases if alias in names
        }
        if all(key in columns for key in REQUIRED) and ("buyer_name" in columns or "buyer_tax_number" in columns):
            return at, columns
    raise _refused("无法识别文件格式：未找到“数电票号码/发票号码”“开票日期”“价税合计”及购买方列")


def _issued_row(line: int, cells: list, columns: dict[str, int]) -> IssuedRow:
    def cell(key: str) -> str:
        at = columns.get(key)
        return "" if at is None or at >= len(cells) or cells[at] is None else cells[at]

    number = str(cell("fapiao_number")).strip()
    if not FAPIAO_NUMBER.fullmatch(number):
        raise _bad(line, "数电票号码", "须为20位数字")
    return IssuedRow(
        line,
        number,
        _date(cell("issued_on"), line),
        str(cell("buyer_name")).strip(),
        str(cell("buyer_tax_number")).strip(),
        _money(cell("total"), line),
        str(cell("serial")).strip(),
    )


def _date(value, line: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.match(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise _bad(line, "开票日期", "不是有效日期")


def _money(value, line: int) -> Money:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise _bad(line, "价税合计", "不是金额") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise _bad(line, "价税合计", "须为精确到分的金额")
    return Money(amount.quantize(Decimal("0.01")))


def _bad(line: int, column: str, problem: str) -> ValidationFailed:
    return _refused(f"第 {line} 行“{column}”列{problem}，文件未导入")


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, {"file": message})
