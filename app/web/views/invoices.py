"""Finance pages: the invoice list with filters, new drafts, an invoice's detail, its PDF and the exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.invoice_pdf import invoice_pdf
from app.jobs.export_job import export_now_or_later
from app.models import Invoice, Job
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.services import audit
from app.services.access import accounts
from app.services.finance import billing_exports, invoices, payments
from app.web.auth import allowed
from app.web.billing_forms import CreditNoteForm, FapiaoForm, FreeDraftForm, FromBookingForm, IssueForm, PaymentForm
from app.web.views import show_domain_error

bp = Blueprint("invoices", __name__, url_prefix="/finance/invoices")


def _int_arg(name: str) -> int | None:
    """A small positive whole number from the query string, else None (a bad filter is no filter)."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 9 else None


def _year_arg() -> int | None:
    year = _int_arg("year")
    return year if year and 2000 <= year <= 2100 else None


@bp.get("/")
@allowed("invoice.manage")
def index():
    session = db_session()
    status = request.args.get("status") if request.args.get("status") in payments.STATUSES else None
    found = invoices.list_invoices(
        session, current_user, current_context().tz, company_id=_int_arg("company_id"), year=_year_arg()
    )
    found = payments.with_status(found, status, current_context().today())
    rows = [(invoice, payments.standing(invoice, current_context().today())) for invoice in found]
    return render_template(
        "invoices/index.html",
        rows=rows,
        companies=accounts.list_companies(session),
        statuses=payments.STATUSES,
        status=status,
        company_id=_int_arg("company_id"),
        year=_year_arg(),
        exports=billing_exports.NAMES,
    )


def _draft_forms(session) -> tuple[FromBookingForm, FreeDraftForm]:
    from_booking, free = FromBookingForm(prefix="booking"), FreeDraftForm(prefix="free")
    from_booking.booking_id.choices = [
        (b.id, f"{b.reference} · {b.company.name}")
        for b in invoices.billable_bookings(session, current_context().rules)
    ]
    free.company_id.choices = [(c.id, c.name) for c in accounts.list_companies(session)]
    return from_booking, free


@bp.route("/new", methods=["GET", "POST"])
@allowed("invoice.manage")
def new():
    session = db_session()
    from_booking, free = _draft_forms(session)
    source = request.form.get("source")
    form = from_booking if source == "booking" else free
    if source in ("booking", "free") and form.validate_on_submit():
        try:
            if source == "booking":
                invoice = invoices.draft_from_booking(
                    session,
                    current_user,
                    from_booking.booking_id.data,
                    current_context(),
                    from_booking.reason.data or "",
                )
            else:
                invoice = invoices.draft(session, current_user, free.company_id.data, [])
        except DomainError as error:
            session.rollback()
            show_domain_error(form, error)
        else:
            session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("invoices.show", invoice_id=invoice.id))
    status = 422 if request.method == "POST" else 200
    return render_template("invoices/new.html", from_booking=from_booking, free=free), status


def render_detail(invoice: Invoice, status: int = 200, **forms):
    """The detail page with its action forms (those given carry the errors of a failed action)."""
    forms = {
        "issue_form": IssueForm(),
        "payment_form": PaymentForm(),
        "credit_form": CreditNoteForm(),
        "fapiao_form": FapiaoForm(),
        **forms,
    }
    remaining = invoices.credited_quantities(invoice)
    return render_template(
        "invoices/show.html",
        invoice=invoice,
        standing=payments.standing(invoice, current_context().today()),
        finance=True,
        remaining=remaining,
        today=current_context().today(),
        entries=audit.entries_for(db_session(), "invoice", invoice.id),
        **forms,
    ), status


@bp.get("/<int:invoice_id>")
@allowed("invoice.manage")
def show(invoice_id: int):
    return render_detail(invoices.invoice_for(db_session(), current_user, invoice_id))


def pdf_response(invoice: Invoice) -> Response:
    name = invoice.number or f"draft-{invoice.id}"
    return Response(
        invoice_pdf(invoice, current_context().today()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@bp.get("/<int:invoice_id>/pdf")
@allowed("invoice.manage")
def pdf(invoice_id: int):
    return pdf_response(invoices.invoice_for(db_session(), current_user, invoice_id))


@bp.get("/export/<name>.<fmt>")
@allowed("invoice.manage")
def export(name: str, fmt: str):
    if name not in billing_exports.NAMES or fmt not in ("csv", "xlsx"):
        abort(404)
    session = db_session()
    made = export_now_or_later(session, current_user, name, fmt, current_context().today(), _year_arg())
    if isinstance(made, Job):
        session.commit()
        return redirect(url_for("jobs.show", job_id=made.id))
    body, mimetype = made
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
