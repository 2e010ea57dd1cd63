"""Contract ledger pages (finance): contracts, their scans, invoices and prepayments."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.models import Booking, Contract, Invoice, InvoiceKind
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.access import accounts
from app.services.finance import contracts
from app.web.auth import allowed
from app.web.billing_forms import (
    ApplyPrepaymentForm,
    ContractForm,
    ContractFromBookingForm,
    ContractInvoiceForm,
    ContractScanForm,
    PrepaymentForm,
)
from app.web.views import commit_or_show

bp = Blueprint("contracts", __name__, url_prefix="/finance/contracts")


def _prefix() -> str:
    return current_context().numbering.contract_prefix


def _new_forms() -> tuple[ContractForm, ContractFromBookingForm]:
    session = db_session()
    form, from_booking = ContractForm(prefix="new"), ContractFromBookingForm(prefix="booking")
    form.company_id.choices = [(c.id, c.name) for c in accounts.list_companies(session)]
    quoted = select(Booking).where(Booking.contract_id.is_(None), Booking.quote_subtotal.is_not(None))
    from_booking.booking_id.choices = [
        (b.id, f"{b.reference} · {b.company.name}") for b in session.scalars(quoted.order_by(Booking.reference.desc()))
    ]
    return form, from_booking


def _index(form: ContractForm, from_booking: ContractFromBookingForm, status: int = 200):
    session = db_session()
    rows = [(c, contracts.standing(session, c)) for c in contracts.list_contracts(session)]
    return render_template("contracts/index.html", rows=rows, form=form, from_booking=from_booking), status


@bp.get("/")
@allowed("contract.manage")
def index():
    return _index(*_new_forms())


@bp.post("/")
@allowed("contract.manage")
def create():
    form, from_booking = _new_forms()
    if form.validate_on_submit():
        fields = contracts.ContractFields(
            form.company_id.data,
            form.title.data,
            form.services.data or "",
            form.amount.data,
            form.prepayment.data,
            form.signed_on.data,
            form.valid_until.data,
        )
        ok, made = commit_or_show(
            form, lambda: contracts.create_contract(db_session(), current_user, fields, _prefix())
        )
        if ok:
            flash(_("Contract %(number)s created.", number=made.number), "success")
            return redirect(url_for("contracts.show", contract_id=made.id))
    return _index(form, from_booking, 422)


@bp.post("/from-booking")
@allowed("contract.manage")
def from_booking():
    form, chosen = _new_forms()
    if chosen.validate_on_submit():
        session = db_session()
        booking = session.get(Booking, chosen.booking_id.data)
        ok, made = commit_or_show(
            chosen,
            lambda: contracts.contract_from_booking(
                session, current_user, booking, _prefix(), current_context().today()
            ),
        )
        if ok:
            flash(_("Contract %(number)s created.", number=made.number), "success")
            return redirect(url_for("contracts.show", contract_id=made.id))
    return _index(form, chosen, 422)


def _forms(contract: Contract) -> dict:
    session = db_session()
    mine = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.company_id == contract.company_id, Invoice.kind == InvoiceKind.INVOICE)
            .order_by(Invoice.id.desc())
        )
    )
    forms = {
        "scan_form": ContractScanForm(prefix="scan"),
        "invoice_form": ContractInvoiceForm(prefix="invoice"),
        "prepayment_form": PrepaymentForm(prefix="prepayment"),
        "apply_form": ApplyPrepaymentForm(prefix="apply"),
    }
    forms["invoice_form"].invoice_id.choices = [
        (i.id, i.number or _("Draft") + f" #{i.id}") for i in mine if i.contract_id is None
    ]
    forms["apply_form"].invoice_id.choices = [
        (i.id, i.number) for i in mine if i.contract_id == contract.id and i.number
    ]
    return forms


def _show(contract: Contract, forms: dict, status: int = 200):
    session = db_session()
    invoices = session.scalars(select(Invoice).where(Invoice.contract_id == contract.id).order_by(Invoice.id))
    bookings = session.scalars(select(Booking).where(Booking.contract_id == contract.id).order_by(Booking.id))
    return render_template(
        "contracts/show.html",
        contract=contract,
        standing=contracts.standing(session, contract),
        invoices=list(invoices),
        bookings=list(bookings),
        **forms,
    ), status


@bp.get("/<int:contract_id>")
@allowed("contract.manage")
def show(contract_id: int):
    contract = contracts.contract_by_id(db_session(), contract_id)
    return _show(contract, _forms(contract))


def _act(contract_id: int, name: str, action):
    """Validate the named form of the contract page and run one service call with it."""
    contract = contracts.contract_by_id(db_session(), contract_id)
    forms = _forms(contract)
    form = forms[name]
    if form.validate_on_submit():
        ok, _done = commit_or_show(form, lambda: action(db_session(), contract, form))
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("contracts.show", contract_id=contract_id))
    return _show(contract, forms, 422)


@bp.post("/<int:contract_id>/scan")
@allowed("contract.manage")
def scan(contract_id: int):
    def attach(session, contract, form):
        upload = form.scan.data
        contracts.attach_scan(
            session,
            current_user,
            contract,
            upload.filename or "",
            upload.read(),
            current_app.config["CONTRACT_SCAN_MAX_BYTES"],
        )

    return _act(contract_id, "scan_form", attach)


@bp.get("/<int:contract_id>/scan.pdf")
@allowed("contract.manage")
def scan_pdf(contract_id: int):
    contract = contracts.contract_by_id(db_session(), contract_id)
    if contract.scan is None:
        abort(404)
    return Response(
        contract.scan,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{contract.number}.pdf"'},
    )


@bp.post("/<int:contract_id>/invoices")
@allowed("contract.manage")
def assign_invoice(contract_id: int):
    return _act(
        contract_id,
        "invoice_form",
        lambda session, contract, form: contracts.assign_invoice(
            session, current_user, contract, session.get(Invoice, form.invoice_id.data)
        ),
    )


@bp.post("/<int:contract_id>/prepayments")
@allowed("contract.manage")
def prepayment(contract_id: int):
    return _act(
        contract_id,
        "prepayment_form",
        lambda session, contract, form: contracts.record_prepayment(
            session,
            current_user,
            contract,
            form.amount.data,
            form.received_on.data,
            form.reference.data or "",
            current_context().today(),
        ),
    )


@bp.post("/<int:contract_id>/apply")
@allowed("contract.manage")
def apply_prepayment(contract_id: int):
    return _act(
        contract_id,
        "apply_form",
        lambda session, contract, form: contracts.apply_prepayment(
            session, current_user, contract, form.invoice_id.data, form.amount.data, current_context().today()
        ),
    )
