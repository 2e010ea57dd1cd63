"""The booking lifecycle, in one place: its states, every transition (from which states, to which, and who may
take it), and the named sets of states the rest of the app asks about.

requested → confirmed → running → completed → invoiced; or rejected / cancelled. A fact the plant cannot refuse
(a breakdown, an overrun) makes a confirmed booking `conflicted` (plan_check); it still holds its vessels, and a
move or repair confirms it again. A running batch may be aborted. Issuing an invoice for a completed booking makes
it invoiced; crediting that invoice in full makes it completed again. What a transition does besides changing the
state (placing, releasing vessels, recording usage) is in booking_states; customers are mailed by the pages and the
API after commit (documents.mail)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Booking, BookingStatus, Role, User
from app.platform.errors import Conflict, Forbidden
from app.services import audit
from app.services.access.policy import OPERATORS

S = BookingStatus
STATUS_NAMES = {
    S.REQUESTED: "待确认",
    S.CONFIRMED: "已确认",
    S.RUNNING: "运行中",
    S.COMPLETED: "已完成",
    S.INVOICED: "已开票",
    S.REJECTED: "已拒绝",
    S.CANCELLED: "已取消",
    S.CONFLICTED: "排程冲突",
    S.ABORTED: "已中止",
}

UNSTARTED = frozenset({S.REQUESTED, S.CONFIRMED, S.CONFLICTED})  # not yet run: may be moved or cancelled
RAN = frozenset({S.RUNNING, S.COMPLETED, S.INVOICED})  # its batch runs or ran to the end: a batch record, data
FINISHED = frozenset({S.COMPLETED, S.INVOICED})  # its batch is done: the record may be signed
OPEN = UNSTARTED | {S.RUNNING}  # ahead or under way: its price is still an estimate
SERVICE = RAN | {S.CONFIRMED}  # work the plant committed to: the utilisation report counts it
TENTATIVE = frozenset({S.REQUESTED})  # calendar feeds show these as tentative
WATCHED = frozenset({S.CONFLICTED, S.RUNNING})  # the operators' attention list looks at these
BILLABLE = frozenset({S.COMPLETED, S.ABORTED})  # an invoice may be drafted from its usage
NOBODY: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Transition:
    sources: frozenset[BookingStatus]
    target: BookingStatus | None  # None: the state stays
    roles: frozenset[Role]  # who may take it on any booking (NOBODY: it follows from another act)
    own: bool = False  # a customer may take it on its own company's booking
    audit: str = ""  # the audit entry's action when not booking.<action>
    fact: bool = False  # writes actual times onto the plan: what it breaks becomes conflicted
    releases: bool = False  # frees the booking's vessels
    mail: str = ""  # what the customer's mail says happened (sent after commit by documents.mail); "": no mail


TRANSITIONS = {
    "confirm": Transition(frozenset({S.REQUESTED}), S.CONFIRMED, OPERATORS, mail="已确认"),
    "reject": Transition(frozenset({S.REQUESTED}), S.REJECTED, OPERATORS, releases=True, mail="已被拒绝"),
    "cancel": Transition(UNSTARTED, S.CANCELLED, OPERATORS, own=True, releases=True, mail="已取消"),
    "start": Transition(frozenset({S.CONFIRMED, S.CONFLICTED}), S.RUNNING, OPERATORS, fact=True, mail="已开始运行"),
    "complete": Transition(frozenset({S.RUNNING}), S.COMPLETED, OPERATORS, fact=True, mail="已完成"),
    "extend": Transition(frozenset({S.RUNNING}), None, OPERATORS, mail="批次已延长"),
    "abort": Transition(frozenset({S.RUNNING}), S.ABORTED, OPERATORS, mail="批次已中止"),
    "move": Transition(UNSTARTED, None, OPERATORS, audit="booking.moved", mail="时间已调整"),
    "repair": Transition(frozenset({S.CONFLICTED}), S.CONFIRMED, OPERATORS),
    "accept": Transition(frozenset({S.CONFIRMED, S.CONFLICTED}), None, OPERATORS, own=True, mail="新时间已接受"),
    # they follow from issuing or crediting an invoice, or from a fact on the plan (plan_check)
    "invoice": Transition(frozenset({S.COMPLETED}), S.INVOICED, NOBODY, audit="booking.invoiced"),
    "void": Transition(frozenset({S.INVOICED}), S.COMPLETED, NOBODY, audit="booking.invoice_voided"),
    "conflict": Transition(
        frozenset({S.CONFIRMED}), S.CONFLICTED, NOBODY, audit="booking.conflicted", mail="与实际情况冲突，待重新安排"
    ),
    "resolve": Transition(frozenset({S.CONFLICTED}), S.CONFIRMED, NOBODY, audit="booking.confirmed", mail="冲突已解除"),
}


def role_may(actor: User, booking: Booking, action: str) -> bool:
    """Whether the actor may take `action` on this booking, whatever its state (a customer: on its own only)."""
    step = TRANSITIONS[action]
    if step.own and actor.role == Role.CUSTOMER:
        return booking.company_id == actor.company_id
    return actor.role in step.roles


def state_allows(booking: Booking, action: str) -> bool:
    """Whether the booking's state lets `action` happen."""
    return booking.status in TRANSITIONS[action].sources


def may(actor: User, booking: Booking, action: str) -> bool:
    return role_may(actor, booking, action) and state_allows(booking, action)


def allowed_actions(actor: User, booking: Booking) -> frozenset[str]:
    """The actions the actor may take on the booking now: the pages offer exactly these."""
    return frozenset(action for action in TRANSITIONS if may(actor, booking, action))


def check_may(actor: User, booking: Booking, action: str) -> BookingStatus:
    """The state before `action`, or raise: 403 for the wrong role, 409 from the wrong state."""
    if not role_may(actor, booking, action):
        raise Forbidden("当前角色无权执行此操作")
    if not state_allows(booking, action):
        raise Conflict(f"预约当前状态为“{STATUS_NAMES[booking.status]}”，不能执行此操作")
    return booking.status


def arrive(
    session: Session,
    actor: User | None,
    booking: Booking,
    action: str,
    before: BookingStatus,
    reason: str = "",
    **details,
) -> None:
    """Enter the state `action` leads to, with the reason, and audit it."""
    target = TRANSITIONS[action].target or booking.status
    booking.status = target
    if reason.strip() or target != before:
        booking.status_reason = reason.strip()[:500]
    audit.record(
        session,
        actor,
        TRANSITIONS[action].audit or f"booking.{action}",
        "booking",
        booking.id,
        before=before.value,
        after=target.value,
        reason=reason.strip(),
        **details,
    )


def follow(session: Session, actor: User | None, booking: Booking, action: str, **details) -> bool:
    """Take a transition that follows from another act (invoice, void, conflict, resolve) when the booking's state
    allows it, auditing `details`; whether it moved."""
    step = TRANSITIONS[action]
    if not state_allows(booking, action):
        return False
    booking.status = step.target
    audit.record(session, actor, step.audit, "booking", booking.id, **details)
    return True
