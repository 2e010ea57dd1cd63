"""The claim PDF as a background job: rendered when the claim is made, kept with the job, served from there."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.claim_pdf import claim_pdf
from app.jobs import JobContext, enqueue, latest_job, register
from app.models import Job, JobState, SubsidyClaim, User
from app.platform.context import Context
from app.services.access.policy import FINANCE
from app.services.subsidies import subsidy_claims

KIND = "subsidy.claim_pdf"


@register(KIND, FINANCE, title=_l("Subsidy claim PDF"), retry=True)
def render_claim(ctx: JobContext, params: dict) -> dict:
    """The claim's PDF (marked out of date when asked for so), as the job's file."""
    claim = ctx.session.scalars(select(SubsidyClaim).where(SubsidyClaim.number == params["number"])).one()
    ctx.progress(0.1, "排版申报书")
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        pdf = claim_pdf(claim, params["out_of_date"])
    ctx.attach(pdf, f"{claim.number}.pdf", "application/pdf")
    return {"number": claim.number, "out_of_date": params["out_of_date"], "bytes": len(pdf)}


def _subject(claim: SubsidyClaim, stale: bool) -> str:
    return f"{claim.number}:{'out-of-date' if stale else 'current'}"


def _render(session: Session, actor: User | None, claim: SubsidyClaim, stale: bool) -> Job:
    return enqueue(session, actor, KIND, {"number": claim.number, "out_of_date": stale}, _subject(claim, stale))


def create_claim_and_render(session: Session, actor: User, year: int, ctx: Context) -> SubsidyClaim:
    """Make the year's claim (its dossier with it) and queue the rendering of its PDF."""
    claim = subsidy_claims.create_claim(session, actor, year, ctx)
    _render(session, actor, claim, False)
    return claim


def claim_pdf_job(session: Session, actor: User, number: str) -> Job:
    """The job that rendered (or is rendering) the claim's PDF as it reads now (current or out of date);
    a new one when there is none, or the last one failed or was cancelled."""
    claim = subsidy_claims.claim_by_number(session, actor, number)
    stale = subsidy_claims.out_of_date(session, [claim])[claim.id]
    job = latest_job(session, KIND, _subject(claim, stale))
    if job is None or job.state in (JobState.FAILED, JobState.CANCELLED):
        job = _render(session, actor, claim, stale)
    return job
