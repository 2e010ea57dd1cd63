"""Who may do what: the role sets, defined once, and each action of pages and API mapped to the roles that may
take it. Actions are named by what they do (`invoice.issue`) or by a route group (`report.read`); a page says
`@allowed(action)`, an API route `@endpoint(…, who=action)`, a template `may(action)`, a service `require`."""

from app.models import STAFF_ROLES, Role, User
from app.platform.errors import Forbidden

ANYONE = "anyone"  # no sign-in needed
SIGNED_IN = "signed_in"  # any signed-in user (what each sees is the service's business)

CUSTOMERS = frozenset({Role.CUSTOMER})
OPERATORS = frozenset({Role.OPERATOR, Role.ADMIN})
FINANCE = frozenset({Role.FINANCE, Role.ADMIN})  # admins may do everything finance may …
CLAIMANTS = frozenset({Role.FINANCE})  # … but file and submit the subsidy claim (API.md: finance)
ADMINS = frozenset({Role.ADMIN})
STAFF = STAFF_ROLES
CLAIM_READERS = FINANCE | {Role.BUREAU}  # the bureau: submitted claims only
BOOKERS = CUSTOMERS | STAFF  # a customer: its own company's bookings only

POLICY: dict[str, frozenset[Role] | str] = {
    # one's own account, company, tokens and jobs; what each sees is its own
    "account.manage": SIGNED_IN,
    "job.follow": SIGNED_IN,
    # bookings: the lifecycle (services.booking.lifecycle) decides per booking; these are the doors
    "booking.browse": SIGNED_IN,  # pages of bookings and batches, free slots: the bureau sees none
    "booking.read": BOOKERS,
    "booking.request": CUSTOMERS,
    "booking.cancel": BOOKERS,  # the lifecycle: operators, or the booking's own customer
    "booking.accept": BOOKERS,  # the lifecycle: operators, or the booking's own customer
    "booking.operate": OPERATORS,  # confirm, reject, start, complete, extend, abort
    "booking.history": STAFF,
    "hold.read": STAFF,
    "acceptance.answer": CUSTOMERS,
    "waitlist.read": BOOKERS,
    "waitlist.join": CUSTOMERS,
    "waitlist.prioritise": OPERATORS,
    # the plant
    "plan.schedule": OPERATORS,  # the board, the queue, moves, the optimiser, repairs
    "equipment.edit": OPERATORS,
    "equipment.feeds": OPERATORS,
    "equipment.feed_replace": ADMINS,
    "batch.record": OPERATORS,  # entries, signatures, addenda, process data imports
    "batch.data": CUSTOMERS | OPERATORS,  # process data: a customer its own batches'
    "report.read": OPERATORS,
    # money
    "invoice.read": CUSTOMERS | FINANCE,  # a customer: its own company's
    "invoice.own": CUSTOMERS,
    "invoice.manage": FINANCE,  # drafts, lines, issue, payments, credit notes, fapiao numbers, exports
    "finance.manage": FINANCE,  # price lists, customer groups, receivables
    "contract.manage": FINANCE,
    "etax.manage": FINANCE,
    "subsidy.figures": FINANCE,  # the live figures (revenue per customer): never the bureau
    "subsidy.claim": CLAIMANTS,  # file and submit
    "subsidy.claims": CLAIM_READERS,
    "subsidy.policy": ADMINS,
    # the platform
    "company.manage": ADMINS,  # companies, their review and approval
    "audit.read": ADMINS,
}


def roles_for(action: str) -> tuple[Role, ...] | str:
    """The roles that may take `action`, in the order of `Role` (or ANYONE / SIGNED_IN)."""
    allowed = POLICY[action]
    return allowed if isinstance(allowed, str) else tuple(role for role in Role if role in allowed)


def may(user: User | None, action: str) -> bool:
    """Whether `user` (None: nobody signed in) may take `action`."""
    allowed = POLICY[action]
    if allowed == ANYONE:
        return True
    if user is None or not user.is_authenticated:
        return False
    return allowed == SIGNED_IN or user.role in allowed


def require(user: User | None, action: str) -> None:
    """Raise Forbidden unless `user` may take `action`."""
    if not may(user, action):
        raise Forbidden("当前角色无权执行此操作")
