"""The claim's dossier as an XLSX workbook: one sheet per annex frozen with the claim."""

from decimal import Decimal

from app.documents.spreadsheets import to_workbook
from app.models import SubsidyClaim
from app.services.subsidies.subsidy_claims import frozen_dossier

MONEY_HEADERS = ("服务收入（不含税）", "税额", "价税合计", "金额", "可申报服务收入")


def dossier_xlsx(claim: SubsidyClaim) -> bytes:
    """The workbook of the claim's annexes; money columns are numbers with two decimals."""
    return to_workbook((annex["title"], annex["headers"], _typed(annex)) for annex in frozen_dossier(claim))


def _typed(annex: dict) -> list[list]:
    money = {i for i, header in enumerate(annex["headers"]) if header in MONEY_HEADERS}
    rows = [[Decimal(cell) if i in money and cell else cell for i, cell in enumerate(row)] for row in annex["rows"]]
    if annex["total"] is not None:
        rows.append(["合计"] + [""] * (len(annex["headers"]) - 2) + [Decimal(annex["total"])])
    return rows
