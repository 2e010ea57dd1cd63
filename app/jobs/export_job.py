"""Finance exports: small ones in the request, large ones (many thousand rows) as a job whose result is the file."""

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.documents.spreadsheets import table_file
from app.jobs import JobContext, enqueue, register
from app.models import Job, User
from app.services.access.policy import FINANCE
from app.services.finance import billing_exports

KIND = "finance.export"


def export_file(table: billing_exports.Table, fmt: str) -> tuple[bytes, str]:
    """The table as a CSV or XLSX file (through the one safe writer), and its media type."""
    return table_file(f"{table.name}.{fmt}", table.headers, table.rows, sheet_title=table.name)


@register(KIND, FINANCE, title=_l("Finance export"), retry=True)
def export(ctx: JobContext, params: dict) -> dict:
    ctx.progress(0.05, "读取账目")
    table = billing_exports.table(ctx.session, params["name"], date.fromisoformat(params["today"]), params["year"])
    ctx.progress(0.5, f"写入 {len(table.rows)} 行")
    body, mimetype = export_file(table, params["fmt"])
    ctx.attach(body, f"{params['name']}.{params['fmt']}", mimetype)
    return {"rows": len(table.rows)}


def export_now_or_later(
    session: Session, actor: User, name: str, fmt: str, today: date, year: int | None
) -> tuple[bytes, str] | Job:
    """The file at once when the table is small; a queued job (to commit) when it has EXPORT_JOB_FROM_ROWS rows
    or more."""
    if billing_exports.row_count(session, name, year) < current_app.config["EXPORT_JOB_FROM_ROWS"]:
        return export_file(billing_exports.table(session, name, today, year), fmt)
    return enqueue(session, actor, KIND, {"name": name, "fmt": fmt, "today": today.isoformat(), "year": year})
