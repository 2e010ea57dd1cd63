"""The claim's long lists as fixed-width text lines (one line box per document instead of ten table cells).

WeasyPrint lays out a table cell by cell, about ten times slower than one line of text; a claim lists
thousands of documents, so its detailed lists are monospaced lines (Noto Sans Mono CJK: a Han character
is two columns wide, a Latin one column) with padded columns.
"""

import unicodedata
from typing import NamedTuple


class Column(NamedTuple):
    title: str
    width: int
    right: bool = False


DETAIL = (
    Column("序号", 5, True),
    Column("发票号", 19),
    Column("税务发票号码", 20),
    Column("客户名称", 36),
    Column("客户统一社会信用代码", 20),
    Column("开票日期", 10),
    Column("服务金额", 14, True),
    Column("税额", 12, True),
    Column("价税合计", 14, True),
    Column("收款日期", 10),
)
EXCLUDED = (
    Column("序号", 5, True),
    Column("发票号", 19),
    Column("客户名称", 40),
    Column("开票日期", 10),
    Column("服务金额", 14, True),
    Column("未计入原因", 16),
)

PAYMENTS = (
    Column("序号", 5, True),
    Column("发票号", 19),
    Column("到账日期", 10),
    Column("金额", 14, True),
    Column("凭证/摘要", 40),
)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def fit(text: str, column: Column) -> str:
    """`text` padded to the column's width; cut with "…" when longer."""
    if display_width(text) > column.width:
        while display_width(text) > column.width - 1:
            text = text[:-1]
        text += "…"
    gap = " " * (column.width - display_width(text))
    return gap + text if column.right else text + gap


def line(columns: tuple[Column, ...], values: list[str]) -> str:
    return " ".join(fit(value, column) for value, column in zip(values, columns, strict=True))


def header(columns: tuple[Column, ...]) -> str:
    return line(columns, [column.title for column in columns])


def _number(doc: dict) -> str:
    return doc["number"] + ("(红字)" if doc["kind"] == "credit_note" else "")


def detail_lines(documents: list[dict], yuan) -> list[str]:
    """服务收入明细表: one line per counted document."""
    return [
        line(
            DETAIL,
            [
                str(index),
                _number(doc),
                doc["fapiao_number"],
                doc["customer_name"],
                doc["customer_uscc"],
                doc["issued_on"],
                yuan(doc["service_amount"]),
                yuan(doc["tax"]),
                yuan(doc["total"]),
                doc["paid_on"] or "",
            ],
        )
        for index, doc in enumerate(documents, 1)
    ]


def excluded_lines(documents: list[dict], yuan) -> list[str]:
    """未计入的单据: one line per excluded document with its reason."""
    return [
        line(
            EXCLUDED,
            [
                str(index),
                _number(doc),
                doc["customer_name"],
                doc["issued_on"],
                yuan(doc["service_amount"]),
                doc["reason_zh"],
            ],
        )
        for index, doc in enumerate(documents, 1)
    ]


def payment_lines(rows: list[list[str]], yuan) -> list[str]:
    """回款清单 (the dossier's payments annex): one line per payment received."""
    return [
        line(PAYMENTS, [str(index), number, received_on, yuan(amount), reference])
        for index, (number, received_on, amount, reference) in enumerate(rows, 1)
    ]


def pages(lines: list[str], first: int = 34, rest: int = 40) -> list[list[str]]:
    """`lines` cut into page-sized chunks (the first page also carries the section title)."""
    chunks = [lines[:first]]
    chunks += [lines[start : start + rest] for start in range(first, len(lines), rest)]
    return chunks
