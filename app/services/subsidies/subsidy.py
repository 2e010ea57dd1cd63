"""The year's subsidy: its policy (editable by admins) and the live figures, for pages and the API."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Company, SubsidyPolicy, User
from app.platform.errors import ValidationFailed
from app.platform.numbers import sane_decimal
from app.services import audit
from app.services.subsidies.subsidy_ledger import Group, invoiced_groups, ledger
from billing import REASONS_ZH, CustomerRevenue, Money, SubsidyResult, compute_subsidy, exact_product, revenue_to_reach
from billing import SubsidyPolicy as CorePolicy

FIRST_YEAR, LAST_YEAR = 2000, 2100
DEFAULT_RATE = Decimal("0.30")
DEFAULT_CAP = Decimal("1000000.00")
BASES = ("invoiced", "paid")


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(
            f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间", {"year": f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间"}
        )
    return year


def policy_row(session: Session, year: int) -> SubsidyPolicy:
    """The stored policy of `year`, or the default one (not added to the session)."""
    row = session.get(SubsidyPolicy, check_year(year))
    return row or SubsidyPolicy(year=year, rate=DEFAULT_RATE, cap=DEFAULT_CAP, basis="invoiced", notes="")


def stored_policy(session: Session, year: int) -> SubsidyPolicy:
    """The policy row of `year`, created with the defaults when missing (for writes)."""
    row = policy_row(session, year)
    if row not in session:
        session.add(row)
        session.flush()
    return row


def affiliated_ids(session: Session) -> frozenset[int]:
    return frozenset(session.scalars(select(Company.id).where(Company.is_affiliated)))


def core_policy(session: Session, row: SubsidyPolicy) -> CorePolicy:
    """The policy as the core sees it, with today's affiliated companies."""
    return CorePolicy(
        year=row.year, rate=row.rate, cap=Money(row.cap), basis=row.basis, affiliated=affiliated_ids(session)
    )


def update_policy(
    session: Session, actor: User, year: int, rate: str, cap: str, basis: str, notes: str
) -> SubsidyPolicy:
    """Change a year's rate, cap, basis and notes (audited)."""
    values = _policy_values(rate, cap, basis)
    row = stored_policy(session, year)
    old = {"rate": str(row.rate), "cap": str(row.cap), "basis": row.basis, "notes": row.notes}
    row.rate, row.cap, row.basis, row.notes = values["rate"], values["cap"], basis, notes.strip()
    audit.record(
        session,
        actor,
        "subsidy.policy",
        "subsidy_policy",
        year,
        old=old,
        new={"rate": str(row.rate), "cap": str(row.cap), "basis": basis, "notes": row.notes},
    )
    return row


def _policy_values(rate: str, cap: str, basis: str) -> dict[str, Decimal]:
    problems, values = {}, {}
    for name, text, places in (("rate", rate, 3), ("cap", cap, 2)):
        value = sane_decimal(text)
        if value is None or value <= 0 or value != round(value, places):
            problems[name] = "请填写大于零的数，比例最多三位小数，金额最多两位小数"
        values[name] = value
    if "rate" not in problems and values["rate"] > 1:
        problems["rate"] = "比例应在 0 与 1 之间（0.30 即 30%）"
    if basis not in BASES:
        problems["basis"] = "口径应为 invoiced（按开票）或 paid（按收款）"
    if problems:
        raise ValidationFailed("补助政策有误，请检查标出的字段", problems)
    return values


@dataclass(frozen=True)
class Summary:
    """A year's figures: what counts, the amount, and what is excluded (count and amount per reason)."""

    policy: CorePolicy
    eligible_revenue: Money
    amount: Money
    invoice_count: int
    by_month: dict[int, Money]
    by_customer: tuple[CustomerRevenue, ...]
    excluded: dict[str, tuple[int, Money]]

    @property
    def year(self) -> int:
        return self.policy.year

    @property
    def revenue_to_reach_cap(self) -> Money:
        return max(revenue_to_reach(self.policy.cap, self.policy.rate) - self.eligible_revenue, Money.zero())


def summary_of(result: SubsidyResult, policy: CorePolicy) -> Summary:
    """The Summary of a full computation by the core."""
    excluded = {reason: [0, Money.zero()] for reason in REASONS_ZH}
    for item in result.excluded:
        excluded[item.reason][0] += 1
        excluded[item.reason][1] += item.invoice.service_amount
    return Summary(
        policy,
        result.eligible_revenue,
        result.amount,
        len(result.included),
        result.by_month,
        result.by_customer,
        {reason: (n, amount) for reason, (n, amount) in excluded.items()},
    )


def live_summary(session: Session, year: int) -> Summary:
    """The year's figures now; summed in SQL for the "invoiced" basis, by the core otherwise."""
    policy = core_policy(session, policy_row(session, year))
    if policy.basis != "invoiced":
        return summary_of(compute_subsidy(policy, ledger(session, year, policy.basis)), policy)
    return _summary_of_groups(policy, [_with_affiliation(group, policy) for group in invoiced_groups(session, year)])


def _with_affiliation(group: Group, policy: CorePolicy) -> Group:
    """Counted documents of an affiliated customer are excluded as "affiliated"."""
    if group.reason is None and group.customer_id in policy.affiliated:
        return group._replace(reason="affiliated")
    return group


def _summary_of_groups(policy: CorePolicy, groups: list[Group]) -> Summary:
    counted = [g for g in groups if g.reason is None]
    eligible = Money.from_fen(sum(g.amount_fen for g in counted))
    by_month = {month: Money.zero() for month in range(1, 13)}
    for group in counted:
        by_month[group.month] += Money.from_fen(group.amount_fen)
    excluded = {reason: (0, Money.zero()) for reason in REASONS_ZH}
    for group in groups:
        if group.reason is not None:
            count, amount = excluded[group.reason]
            excluded[group.reason] = (count + group.count, amount + Money.from_fen(group.amount_fen))
    return Summary(
        policy,
        eligible,
        subsidy_amount(eligible, policy),
        sum(g.count for g in counted),
        by_month,
        _by_customer(counted),
        excluded,
    )


def subsidy_amount(eligible: Money, policy: CorePolicy) -> Money:
    """min(round_half_up(max(eligible, 0) × rate), cap), as billing.compute_subsidy computes it."""
    return min(Money.rounded(exact_product(max(eligible.amount, Decimal(0)), policy.rate)), policy.cap)


def _by_customer(groups: list[Group]) -> tuple[CustomerRevenue, ...]:
    """Revenue per customer, largest first, named as on the customer's latest document."""
    totals: dict[int, int] = {}
    latest: dict[int, Group] = {}
    for group in groups:
        totals[group.customer_id] = totals.get(group.customer_id, 0) + group.amount_fen
        if group.customer_id not in latest or group.last_number > latest[group.customer_id].last_number:
            latest[group.customer_id] = group
    rows = [
        CustomerRevenue(cid, latest[cid].customer_name, latest[cid].customer_uscc, Money.from_fen(total))
        for cid, total in totals.items()
    ]
    return tuple(sorted(rows, key=lambda row: (-row.amount.amount, row.customer_name, row.customer_id)))
