"""The year's subsidy figures and the claims made from them."""

from flask import Response, jsonify

from app.documents.claim_dossier import dossier_xlsx
from app.documents.claim_pdf import verification_url
from app.documents.spreadsheets import XLSX_TYPE
from app.jobs.claim_pdf_job import claim_pdf_job, create_claim_and_render
from app.jobs.responses import file_response
from app.models import JobState, SubsidyClaim
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.subsidies import subsidy, subsidy_claims
from app.services.subsidies.subsidy import Summary
from app.services.subsidies.subsidy_claims import rate_text
from app.web.api.core import current, endpoint
from app.web.api.jobs import accepted
from app.web.api.times import api_time
from billing import REASONS_ZH


def summary_json(summary: Summary) -> dict:
    return {
        "year": summary.year,
        "basis": summary.policy.basis,
        "eligible_revenue": str(summary.eligible_revenue),
        "rate": rate_text(summary.policy.rate),
        "cap": str(summary.policy.cap),
        "amount": str(summary.amount),
        "invoice_count": summary.invoice_count,
        "revenue_to_reach_cap": str(summary.revenue_to_reach_cap),
        "by_month": {str(month): str(amount) for month, amount in summary.by_month.items()},
        "by_customer": [
            {
                "company_id": row.customer_id,
                "name": row.customer_name,
                "uscc": row.customer_uscc,
                "amount": str(row.amount),
            }
            for row in summary.by_customer
        ],
        "excluded": {
            reason: {"count": count, "amount": str(amount), "reason": REASONS_ZH[reason]}
            for reason, (count, amount) in summary.excluded.items()
        },
    }


def claim_json(claim: SubsidyClaim, out_of_date: bool) -> dict:
    return {
        "number": claim.number,
        "year": claim.year,
        "status": claim.status.value,
        "eligible_revenue": str(claim.eligible_revenue),
        "rate": rate_text(claim.rate),
        "cap": str(claim.cap),
        "amount": str(claim.amount),
        "invoice_count": claim.invoice_count,
        "sha256": claim.sha256,
        "created_at": api_time(claim.created_at),
        "submitted_at": api_time(claim.submitted_at),
        "verification_url": verification_url(claim),
        "out_of_date": out_of_date,
    }


@endpoint(
    "/subsidy/<int:year>",
    "GET",
    "The year's eligible service revenue and subsidy, live (finance, admin)",
    "subsidy.figures",
    responses={422: "year out of range"},
)
def subsidy_figures(year: int):
    return jsonify(summary_json(subsidy.live_summary(db_session(), year)))


@endpoint(
    "/subsidy/<int:year>/claims",
    "POST",
    "Freeze the year's figures into a claim (finance)",
    "subsidy.claim",
    status=201,
    responses={422: "year out of range or nothing to claim"},
)
def subsidy_create_claim(year: int):
    session = db_session()
    claim = create_claim_and_render(session, current(), year, current_context())
    session.commit()
    return jsonify(claim_json(claim, False)), 201


@endpoint("/subsidy/claims", "GET", "Claims (the bureau: submitted ones)", "subsidy.claims")
def subsidy_list_claims():
    session = db_session()
    claims = subsidy_claims.claims_for(session, current())
    stale = subsidy_claims.out_of_date(session, claims)
    return jsonify({"items": [claim_json(claim, stale[claim.id]) for claim in claims]})


@endpoint(
    "/subsidy/claims/<number>",
    "GET",
    "A claim's frozen figures, and whether it is out of date",
    "subsidy.claims",
    responses={404: "no such claim"},
)
def subsidy_get_claim(number: str):
    session = db_session()
    claim = subsidy_claims.claim_by_number(session, current(), number)
    return jsonify(claim_json(claim, subsidy_claims.out_of_date(session, [claim])[claim.id]))


@endpoint(
    "/subsidy/claims/<number>/submit",
    "POST",
    "Submit a draft claim to the bureau (finance)",
    "subsidy.claim",
    responses={404: "no such claim", 409: "already submitted or out of date"},
)
def subsidy_submit_claim(number: str):
    session = db_session()
    claim = subsidy_claims.claim_by_number(session, current(), number)
    subsidy_claims.submit_claim(session, current(), claim, current_context().now())
    session.commit()
    return jsonify(claim_json(claim, False))


@endpoint(
    "/subsidy/claims/<number>/pdf",
    "GET",
    "The claim as a PDF (Chinese), rendered by a job when the claim "
    "was made (again if it has since become out of date)",
    "subsidy.claims",
    responses={202: "still being rendered: the job to poll", 404: "no such claim"},
    produces="application/pdf",
)
def subsidy_claim_pdf(number: str):
    session = db_session()
    job = claim_pdf_job(session, current(), number)
    session.commit()
    session.refresh(job)  # a quick worker may have finished it already
    if job.state is not JobState.SUCCEEDED:
        return accepted(job)
    return file_response(job, inline=True)


@endpoint(
    "/subsidy/claims/<number>/dossier.xlsx",
    "GET",
    "The claim's annexes as an XLSX workbook, a sheet each",
    "subsidy.claims",
    responses={404: "no such claim, or a claim made before annexes were frozen"},
    produces=XLSX_TYPE,
)
def subsidy_claim_dossier(number: str):
    claim = subsidy_claims.claim_by_number(db_session(), current(), number)
    return Response(
        dossier_xlsx(claim),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{claim.number}-dossier.xlsx"'},
    )
