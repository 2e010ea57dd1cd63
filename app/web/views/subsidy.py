"""Subsidy pages: the live figures, the year's policy, claims (make, submit, PDF) and the public verification."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.charts import bar_chart, share_of
from app.documents.claim_dossier import dossier_xlsx
from app.documents.spreadsheets import XLSX_TYPE
from app.jobs.claim_pdf_job import claim_pdf_job, create_claim_and_render
from app.jobs.responses import file_response
from app.jobs.service import may_see
from app.models import JobState, Role
from app.platform import verification_codes
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError, NotFound
from app.services import audit
from app.services.subsidies import subsidy, subsidy_claims
from app.web.auth import allowed
from app.web.forms import SubsidyPolicyForm
from app.web.views import commit_or_show

bp = Blueprint("subsidy", __name__)


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    flash(error.message, "error")
    return render_template("error.html", code=error.status), error.status


@bp.get("/subsidy/")
@allowed("subsidy.figures")
def index():
    return redirect(url_for("subsidy.live", year=current_context().today().year))


@bp.get("/subsidy/<int:year>")
@allowed("subsidy.figures")
def live(year: int):
    session = db_session()
    summary = subsidy.live_summary(session, year)
    claims = subsidy_claims.claims_for(session, current_user, year)
    months = {str(month): amount for month, amount in summary.by_month.items()}
    warnings = (
        subsidy_claims.evidence_warnings(session, year, current_context().tz)
        if current_user.role == Role.FINANCE
        else []
    )
    return render_template(
        "subsidy/live.html",
        summary=summary,
        claims=claims,
        warnings=warnings,
        out_of_date=subsidy_claims.out_of_date(session, claims),
        chart=bar_chart(months),
        progress=share_of(summary.amount, summary.policy.cap),
    )


@bp.post("/subsidy/<int:year>/claims")
@allowed("subsidy.claim")
def create_claim(year: int):
    session = db_session()
    try:
        claim = create_claim_and_render(session, current_user, year, current_context())
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("subsidy.live", year=year))
    session.commit()
    flash(_("Claim %(number)s created.", number=claim.number), "success")
    return redirect(url_for("subsidy.claim", number=claim.number))


@bp.route("/subsidy/<int:year>/policy", methods=["GET", "POST"])
@allowed("subsidy.policy")
def policy(year: int):
    session = db_session()
    row = subsidy.policy_row(session, year)
    form = SubsidyPolicyForm(data={"rate": str(row.rate), "cap": str(row.cap), "basis": row.basis, "notes": row.notes})
    if form.validate_on_submit():
        ok, _saved = commit_or_show(
            form,
            lambda: subsidy.update_policy(
                session, current_user, year, form.rate.data, form.cap.data, form.basis.data, form.notes.data or ""
            ),
        )
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("subsidy.policy", year=year))
    entries = audit.entries_for(session, "subsidy_policy", year)
    status = 422 if form.is_submitted() else 200
    return render_template("subsidy/policy.html", year=year, form=form, entries=entries), status


@bp.get("/subsidy/claims")
@allowed("subsidy.claims")
def claims():
    session = db_session()
    items = subsidy_claims.claims_for(session, current_user)
    return render_template("subsidy/claims.html", claims=items, out_of_date=subsidy_claims.out_of_date(session, items))


@bp.get("/subsidy/claims/<number>")
@allowed("subsidy.claims")
def claim(number: str):
    session = db_session()
    item = subsidy_claims.claim_by_number(session, current_user, number)
    stale = subsidy_claims.out_of_date(session, [item])[item.id]
    return render_template("subsidy/claim.html", claim=item, out_of_date=stale)


@bp.post("/subsidy/claims/<number>/submit")
@allowed("subsidy.claim")
def submit(number: str):
    session = db_session()
    item = subsidy_claims.claim_by_number(session, current_user, number)
    try:
        subsidy_claims.submit_claim(session, current_user, item, current_context().now())
    except DomainError as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Claim %(number)s submitted.", number=number), "success")
    return redirect(url_for("subsidy.claim", number=number))


@bp.get("/subsidy/claims/<number>/pdf")
@allowed("subsidy.claims")
def pdf(number: str):
    session = db_session()
    job = claim_pdf_job(session, current_user, number)
    session.commit()
    session.refresh(job)  # a quick worker may have finished it already
    if job.state is JobState.SUCCEEDED:
        return file_response(job, inline=True)
    if may_see(current_user, job):
        return redirect(url_for("jobs.show", job_id=job.id))
    flash(_("The PDF is being prepared; open it again in a moment."), "success")
    return redirect(url_for("subsidy.claim", number=number))


@bp.get("/subsidy/claims/<number>/dossier.xlsx")
@allowed("subsidy.claims")
def dossier(number: str):
    item = subsidy_claims.claim_by_number(db_session(), current_user, number)
    return Response(
        dossier_xlsx(item),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{item.number}-dossier.xlsx"'},
    )


@bp.get("/verify")
def verify_form():
    """The bureau types a claim's code; the form sends it to the claim's verification page."""
    typed = request.args.get("code", "").strip()
    if typed:
        return redirect(url_for("subsidy.verify", code=verification_codes.canonical(typed) or typed))
    return render_template("subsidy/verify.html", claim=None, typed="")


@bp.get("/verify/<code>")
def verify(code: str):
    session = db_session()
    try:
        item = subsidy_claims.claim_by_code(session, code)
    except NotFound as error:
        return render_template("subsidy/verify.html", claim=None, typed=code, problem=error.message), 404
    stale = subsidy_claims.out_of_date(session, [item])[item.id]
    return render_template("subsidy/verify.html", claim=item, out_of_date=stale, typed="")
