"""数电票 pages (finance): export issued invoices for the tax platform's batch import, bring the numbers back."""

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from app.documents.etax_files import etax_workbook, read_issued, red_letter_workbook
from app.documents.spreadsheets import XLSX_TYPE
from app.platform.db import db_session
from app.services.finance import etax
from app.web.auth import allowed
from app.web.billing_forms import EtaxExportForm, EtaxImportForm
from app.web.views import commit_or_show

bp = Blueprint("etax", __name__, url_prefix="/finance/etax")


def _tax_codes() -> dict[str, str]:
    config = current_app.config
    return {"service": config["ETAX_TAX_CODE_SERVICE"], "goods": config["ETAX_TAX_CODE_GOODS"]}


def _page(export_form: EtaxExportForm, import_form: EtaxImportForm, matching=None):
    return render_template(
        "invoices/etax.html",
        export_form=export_form,
        import_form=import_form,
        waiting=etax.waiting(db_session()),
        matching=matching,
    )


def _export_form() -> EtaxExportForm:
    form = EtaxExportForm(prefix="export")
    form.invoice_ids.choices = [(invoice.id, invoice.number) for invoice in etax.waiting(db_session())]
    return form


@bp.get("/")
@allowed("etax.manage")
def index():
    return _page(_export_form(), EtaxImportForm(prefix="import"))


@bp.post("/export")
@allowed("etax.manage")
def export():
    form = _export_form()
    if form.validate_on_submit():
        ok, data = commit_or_show(
            form, lambda: etax.export_data(db_session(), form.invoice_ids.data, form.invoice_type.data, _tax_codes())
        )
        if ok:
            return Response(
                etax_workbook(data),
                mimetype=XLSX_TYPE,
                headers={"Content-Disposition": 'attachment; filename="etax-batch-import.xlsx"'},
            )
    return _page(form, EtaxImportForm(prefix="import")), 422


@bp.get("/red-letter.xlsx")
@allowed("etax.manage")
def red_letter():
    return Response(
        red_letter_workbook(etax.red_letter_rows(db_session())),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="red-letter-requests.xlsx"'},
    )


@bp.post("/import")
@allowed("etax.manage")
def import_issued():
    form = EtaxImportForm(prefix="import")
    if form.validate_on_submit():
        upload = form.file.data
        ok, matching = commit_or_show(
            form, lambda: etax.record_issued(db_session(), current_user, read_issued(upload.read()))
        )
        if ok:
            return _page(_export_form(), EtaxImportForm(prefix="import"), matching)
    return _page(_export_form(), form), 422
