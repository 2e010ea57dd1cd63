"""Admin pages: companies (review of new ones, affiliation, USCC override) and the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.models import Company
from app.platform.context import current_context
from app.platform.db import db_session
from app.services import audit
from app.services.access import accounts, registration
from app.web.auth import allowed
from app.web.forms import CompanyAdminForm, ReviewForm
from app.web.views import commit_or_show
from billing.uscc import uscc_problem

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/companies")
@allowed("company.manage")
def companies():
    return render_template("admin/companies.html", companies=accounts.list_companies(db_session()))


@bp.route("/companies/<int:company_id>", methods=["GET", "POST"])
@allowed("company.manage")
def company(company_id: int):
    session = db_session()
    item = accounts.company_for(session, current_user, company_id)
    form = CompanyAdminForm(obj=item)
    if form.validate_on_submit():
        ok, _saved = commit_or_show(form, lambda: _apply_company_form(session, item, form))
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.company", company_id=company_id))
    entries = audit.entries_for(session, "company", company_id)
    return render_template("admin/company.html", company=item, form=form, entries=entries)


def _apply_company_form(session, item: Company, form: CompanyAdminForm) -> None:
    if form.is_affiliated.data != item.is_affiliated:
        accounts.set_affiliated(session, current_user, item, form.is_affiliated.data)
    accounts.set_facts(session, current_user, item, {name: getattr(form, name).data for name in accounts.COMPANY_FACTS})
    if form.uscc.data and form.uscc.data.upper() != item.uscc:
        accounts.override_uscc(session, current_user, item, form.uscc.data, form.override_reason.data or "")


@bp.get("/companies/review")
@allowed("company.manage")
def review_queue():
    """New companies awaiting approval, with the USCC check and their registration details."""
    pending = registration.awaiting_review(db_session())
    checks = {company.id: uscc_problem(company.uscc) for company in pending}
    return render_template("admin/review.html", companies=pending, checks=checks, form=ReviewForm())


@bp.post("/companies/<int:company_id>/review")
@allowed("company.manage")
def review(company_id: int):
    """Approve or refuse a new company (a choice from the form's list; anything else is a bad request)."""
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    session = db_session()
    item = accounts.company_for(session, current_user, company_id)
    approved = form.decision.data == "approve"
    registration.review(session, current_user, item, approved, form.note.data or "", current_context().now())
    session.commit()
    flash(
        _("%(name)s is approved.", name=item.name) if approved else _("%(name)s is refused.", name=item.name), "success"
    )
    return redirect(url_for("admin.review_queue"))


@bp.get("/audit")
@allowed("audit.read")
def audit_log():
    session = db_session()
    kind = request.args.get("type") or None
    page = audit.entry_page(session, request.args.get("page", 1, type=int), kind)
    return render_template("admin/audit.html", page=page, kind=kind, kinds=audit.entity_types(session))
