"""Finance actions on one invoice: edit a draft's lines, issue, payments, credit notes, fapiao number."""

from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError, ValidationFailed
from app.platform.timefmt import local_to_utc
from app.services.finance import credit_notes, draft_lines, invoice_issue, invoices, payments
from app.web.auth import allowed
from app.web.billing_forms import CreditNoteForm, FapiaoForm, IssueForm, LineForm, PaymentForm
from app.web.views import show_domain_error
from app.web.views.invoices import render_detail

bp = Blueprint("invoice_actions", __name__, url_prefix="/finance/invoices")
HUNDRED = Decimal(100)


def _done(invoice_id: int, message: str):
    db_session().commit()
    flash(message, "success")
    return redirect(url_for("invoices.show", invoice_id=invoice_id))


def _failed(invoice_id: int, form, error: DomainError | None = None, name: str = "form"):
    """Re-show the detail page with the failed form's messages (nothing was saved)."""
    session = db_session()
    session.rollback()
    if error is not None:
        show_domain_error(form, error)
    return render_detail(invoices.invoice_for(session, current_user, invoice_id), 422, **{name: form})


def _line_fields(form: LineForm) -> draft_lines.LineFields:
    return draft_lines.LineFields(
        form.description.data,
        form.quantity.data,
        form.unit.data or "",
        form.unit_price.data,
        form.tax_percent.data / HUNDRED,
        form.is_service.data,
        (form.discount_percent.data or Decimal(0)) / HUNDRED,
    )


def _line_page(invoice_id: int, line_id: int | None):
    session = db_session()
    invoice = invoices.invoice_for(session, current_user, invoice_id)
    line = draft_lines.line_of(invoice, line_id) if line_id else None
    form = LineForm(data=_line_data(line) if line and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            if line is None:
                draft_lines.add_line(session, current_user, invoice, _line_fields(form))
            else:
                draft_lines.update_line(session, current_user, invoice, line_id, _line_fields(form))
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            return _done(invoice_id, _("Line saved."))
    status = 422 if form.is_submitted() else 200
    return render_template("invoices/line_form.html", invoice=invoice, line=line, form=form), status


def _line_data(line) -> dict:
    return {
        "description": line.description,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": line.unit_price,
        "tax_percent": line.tax_rate * HUNDRED,
        "discount_percent": line.discount * HUNDRED,
        "is_service": line.is_service,
    }


@bp.route("/<int:invoice_id>/lines/new", methods=["GET", "POST"])
@allowed("invoice.manage")
def add_line(invoice_id: int):
    return _line_page(invoice_id, None)


@bp.route("/<int:invoice_id>/lines/<int:line_id>", methods=["GET", "POST"])
@allowed("invoice.manage")
def edit_line(invoice_id: int, line_id: int):
    return _line_page(invoice_id, line_id)


@bp.post("/<int:invoice_id>/lines/<int:line_id>/delete")
@allowed("invoice.manage")
def delete_line(invoice_id: int, line_id: int):
    session = db_session()
    try:
        draft_lines.delete_line(session, current_user, invoices.invoice_for(session, current_user, invoice_id), line_id)
    except DomainError as error:
        return _failed(invoice_id, IssueForm(), error, "issue_form")
    return _done(invoice_id, _("Line deleted."))


@bp.post("/<int:invoice_id>/delete")
@allowed("invoice.manage")
def delete_draft(invoice_id: int):
    session = db_session()
    try:
        invoices.delete_draft(session, current_user, invoices.invoice_for(session, current_user, invoice_id))
    except DomainError as error:
        return _failed(invoice_id, IssueForm(), error, "issue_form")
    session.commit()
    flash(_("Draft deleted."), "success")
    return redirect(url_for("invoices.index"))


@bp.post("/<int:invoice_id>/issue")
@allowed("invoice.manage")
def issue(invoice_id: int):
    form = IssueForm()
    if not form.validate_on_submit():
        return _failed(invoice_id, form, name="issue_form")
    issued_at = local_to_utc(form.issued_at.data, current_context().tz) if form.issued_at.data else None
    try:
        invoice = invoice_issue.issue_invoice(db_session(), current_user, invoice_id, issued_at, current_context())
    except DomainError as error:
        return _failed(invoice_id, form, error, "issue_form")
    return _done(invoice_id, _("Invoice %(number)s issued.", number=invoice.number))


@bp.post("/<int:invoice_id>/payments")
@allowed("invoice.manage")
def add_payment(invoice_id: int):
    form = PaymentForm()
    if not form.validate_on_submit():
        return _failed(invoice_id, form, name="payment_form")
    try:
        payments.record_payment(
            db_session(),
            current_user,
            invoice_id,
            form.amount.data,
            form.received_on.data,
            form.reference.data or "",
            current_context().today(),
        )
    except DomainError as error:
        return _failed(invoice_id, form, error, "payment_form")
    return _done(invoice_id, _("Payment recorded."))


def _credit_selection() -> list[credit_notes.CreditSelection] | None:
    """Quantities typed per line (fields qty-<line id>); none typed: credit all that remains."""
    selection = []
    for key, value in request.form.items():
        if key.startswith("qty-") and key[4:].isdigit() and value.strip():
            try:
                quantity = Decimal(value.strip())
            except InvalidOperation:
                quantity = Decimal("NaN")
            if not quantity.is_finite():
                raise ValidationFailed("红冲数量须为数字", {"lines": "红冲数量须为数字"})
            selection.append(credit_notes.CreditSelection(int(key[4:]), quantity))
    return selection or None


@bp.post("/<int:invoice_id>/credit-notes")
@allowed("invoice.manage")
def credit(invoice_id: int):
    form = CreditNoteForm()
    if not form.validate_on_submit():
        return _failed(invoice_id, form, name="credit_form")
    try:
        note = credit_notes.create_credit_note(
            db_session(), current_user, invoice_id, form.reason.data, _credit_selection(), None, current_context()
        )
    except DomainError as error:
        return _failed(invoice_id, form, error, "credit_form")
    return _done(note.id, _("Credit note %(number)s issued.", number=note.number))


@bp.post("/<int:invoice_id>/fapiao")
@allowed("invoice.manage")
def fapiao(invoice_id: int):
    form = FapiaoForm()
    if not form.validate_on_submit():
        return _failed(invoice_id, form, name="fapiao_form")
    session = db_session()
    try:
        invoice_issue.record_fapiao_number(
            session, current_user, invoices.invoice_for(session, current_user, invoice_id), form.fapiao_number.data
        )
    except DomainError as error:
        return _failed(invoice_id, form, error, "fapiao_form")
    return _done(invoice_id, _("Fapiao number recorded."))
