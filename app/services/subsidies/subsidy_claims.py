"""Subsidy claims: frozen when made (number, figures, documents, policy, ledger SHA-256), then submitted.

A claim never changes its figures. When the ledger of its year (or the year's policy) changes, the
claim reads as out of date and a new claim can be made.
"""

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ClaimStatus, Role, SubsidyClaim, User
from app.platform import verification_codes
from app.platform.context import Context
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.services import audit
from app.services.access import policy
from app.services.finance.sequences import next_in_sequence
from app.services.subsidies.subsidy import check_year, core_policy, policy_row, stored_policy
from app.services.subsidies.subsidy_dossier import annexes_json, dossier_digest, dossier_for, evidence_for
from app.services.subsidies.subsidy_ledger import ledger
from billing import LedgerInvoice, SubsidyResult, claim_number, compute_subsidy, ledger_digest
from billing import SubsidyPolicy as CorePolicy
from billing.dossier import dossier_warnings

SNAPSHOT_FORMAT = "subsidy-claim-v1"


def canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def create_claim(session: Session, actor: User | None, year: int, ctx: Context) -> SubsidyClaim:
    """Freeze the year's figures and their annexes into a new claim (draft); refused when there is no revenue
    to claim."""
    policy = core_policy(session, stored_policy(session, check_year(year)))
    docs = ledger(session, year, policy.basis)
    result = compute_subsidy(policy, docs)
    if result.eligible_revenue.amount <= 0:
        raise ValidationFailed(f"{year} 年度没有可申报的服务性收入", {"year": "该年度可申报收入为零"})
    notes = policy_row(session, year).notes
    annexes = annexes_json(
        dossier_for(session, year, list(result.included), result.eligible_revenue, result.amount, ctx.tz)
    )
    frozen = {**snapshot(result, policy, notes, dict(ctx.platform)), "dossier": annexes}
    claim = SubsidyClaim(
        number=claim_number(year, next_in_sequence(session, "SC", year)),
        year=year,
        status=ClaimStatus.DRAFT,
        eligible_revenue=result.eligible_revenue.amount,
        rate=result.rate,
        cap=result.cap.amount,
        amount=result.amount.amount,
        invoice_count=len(result.included),
        sha256=ledger_digest(docs),
        snapshot=canonical_json(frozen),
        dossier_sha256=dossier_digest(annexes),
        verification_code=verification_codes.new_code(),
        created_by_id=actor.id if actor else None,
        created_at=ctx.now(),
    )
    session.add(claim)
    session.flush()
    audit.record(
        session,
        actor,
        "subsidy.claim_created",
        "subsidy_claim",
        claim.number,
        year=year,
        eligible_revenue=result.eligible_revenue,
        amount=result.amount,
        sha256=claim.sha256,
        dossier_sha256=claim.dossier_sha256,
    )
    return claim


def evidence_warnings(session: Session, year: int, tz: ZoneInfo) -> list[str]:
    """The documents a claim of `year` would count that lack a contract or a 数电票 number."""
    policy = core_policy(session, stored_policy(session, check_year(year)))
    counted = list(compute_subsidy(policy, ledger(session, year, policy.basis)).included)
    return dossier_warnings(counted, evidence_for(session, year, counted, tz))


def snapshot(result: SubsidyResult, policy: CorePolicy, notes: str, platform: dict[str, str]) -> dict:
    """Everything the claim's PDF prints, as plain JSON values (money as "1234.50" strings)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "year": result.year,
        "platform": platform,
        "policy": {**policy_json(policy), "notes": notes},
        "eligible_revenue": str(result.eligible_revenue),
        "amount": str(result.amount),
        "cap_reached": result.cap_reached,
        "by_month": [str(result.by_month[month]) for month in range(1, 13)],
        "by_customer": [
            {
                "customer_id": row.customer_id,
                "name": row.customer_name,
                "uscc": row.customer_uscc,
                "amount": str(row.amount),
            }
            for row in result.by_customer
        ],
        "documents": [_document(doc) for doc in result.included],
        "excluded": [
            {**_document(item.invoice), "reason": item.reason, "reason_zh": item.reason_zh} for item in result.excluded
        ],
    }


def policy_json(policy: CorePolicy) -> dict:
    """The parts of a policy that decide the figures (compared to tell whether a claim is out of date)."""
    return {
        "rate": rate_text(policy.rate),
        "cap": str(policy.cap),
        "basis": policy.basis,
        "affiliated": sorted(policy.affiliated),
    }


def rate_text(rate: Decimal) -> str:
    """A rate with at least two decimals: "0.30", "0.125"."""
    return f"{rate:.2f}" if rate == round(rate, 2) else str(rate)


def _document(doc: LedgerInvoice) -> dict:
    return {
        "number": doc.number,
        "kind": doc.kind,
        "fapiao_number": doc.fapiao_number or "",
        "customer_id": doc.customer_id,
        "customer_name": doc.customer_name,
        "customer_uscc": doc.customer_uscc,
        "issued_on": doc.issued_on.isoformat(),
        "paid_on": doc.paid_on.isoformat() if doc.paid_on else None,
        "service_amount": str(doc.service_amount),
        "tax": str(doc.tax),
        "total": str(doc.total),
    }


def may_see(actor: User, claim: SubsidyClaim) -> bool:
    """Finance and admins see every claim; the bureau sees submitted ones."""
    if actor.role in policy.FINANCE:
        return True
    return actor.role == Role.BUREAU and claim.status == ClaimStatus.SUBMITTED


def claim_by_number(session: Session, actor: User, number: str) -> SubsidyClaim:
    claim = session.scalar(select(SubsidyClaim).where(SubsidyClaim.number == number))
    if claim is None or not may_see(actor, claim):
        raise NotFound(f"申报 {number} 不存在")
    return claim


def claim_by_code(session: Session, code: str) -> SubsidyClaim:
    """The submitted claim with this verification code (public: a draft is not known to anyone outside): as typed
    (codes of the earlier, case-sensitive form), or read the forgiving way of `verification_codes.canonical`."""
    claim = session.scalar(
        select(SubsidyClaim).where(
            SubsidyClaim.verification_code.in_({code, verification_codes.canonical(code)}),
            SubsidyClaim.status == ClaimStatus.SUBMITTED,
        )
    )
    if claim is None:
        raise NotFound("验证码无效：没有对应的申报")
    return claim


def claims_for(session: Session, actor: User, year: int | None = None) -> list[SubsidyClaim]:
    """The claims `actor` may see, newest first (optionally of one year)."""
    query = select(SubsidyClaim).order_by(SubsidyClaim.year.desc(), SubsidyClaim.number.desc())
    if actor.role == Role.BUREAU:
        query = query.where(SubsidyClaim.status == ClaimStatus.SUBMITTED)
    if year is not None:
        query = query.where(SubsidyClaim.year == year)
    return list(session.scalars(query))


def frozen_policy(claim: SubsidyClaim) -> dict:
    frozen = json.loads(claim.snapshot)["policy"]
    return {key: frozen[key] for key in ("rate", "cap", "basis", "affiliated")}


def out_of_date(session: Session, claims: list[SubsidyClaim]) -> dict[int, bool]:
    """Per claim id: whether its year's ledger (SHA-256) or policy changed since the claim was made."""
    now: dict[int, tuple[str, dict]] = {}
    for year in {claim.year for claim in claims}:
        policy = core_policy(session, policy_row(session, year))
        now[year] = (ledger_digest(ledger(session, year, policy.basis)), policy_json(policy))
    return {claim.id: (claim.sha256, frozen_policy(claim)) != now[claim.year] for claim in claims}


def submit_claim(session: Session, actor: User, claim: SubsidyClaim, now: datetime) -> None:
    """draft → submitted; an out-of-date claim cannot be submitted."""
    if claim.status != ClaimStatus.DRAFT:
        raise Conflict(f"申报 {claim.number} 已提交")
    if out_of_date(session, [claim])[claim.id]:
        raise Conflict(f"申报 {claim.number} 已过期：账目或补助政策在生成后有变化，请重新生成申报")
    claim.status, claim.submitted_at = ClaimStatus.SUBMITTED, now
    audit.record(session, actor, "subsidy.claim_submitted", "subsidy_claim", claim.number)


def frozen_dossier(claim: SubsidyClaim) -> list[dict]:
    """The annexes frozen with the claim (claims made before the dossier existed have none)."""
    dossier = json.loads(claim.snapshot).get("dossier")
    if dossier is None:
        raise NotFound(f"申报 {claim.number} 生成时尚无附件清单，请重新生成申报")
    return dossier
