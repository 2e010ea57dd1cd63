"""Who may do what is one policy: every route of pages and API names its policy action (or is listed public here),
every action of the policy is used, and the role sets say what DESIGN.md and API.md say."""

from pathlib import Path

import pytest

from app.models import Role, User
from app.services.access import policy

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PAGES = {
    "static",
    "main.index",
    "main.healthz",
    "catalogue.index",
    "auth.login",
    "auth.register",
    "auth.confirm_email",
    "feeds.company_feed",  # opened by its secret
    "feeds.equipment_feed",  # by its secret, or signed in with equipment.feeds
    "subsidy.verify_form",
    "subsidy.verify",
}


def route_actions(app) -> dict[str, str | None]:
    return {
        rule.endpoint: getattr(app.view_functions[rule.endpoint], "policy_action", None)
        for rule in app.url_map.iter_rules()
    }


def test_every_route_names_its_policy_action_unless_it_is_listed_public(app):
    unnamed = {endpoint for endpoint, action in route_actions(app).items() if action is None}
    assert unnamed == PUBLIC_PAGES


def test_every_named_action_is_in_the_policy(app):
    known = set(policy.POLICY) | {policy.ANYONE, policy.SIGNED_IN}
    assert {e: a for e, a in route_actions(app).items() if a is not None and a not in known} == {}


def test_every_action_of_the_policy_is_used_by_a_route_a_template_or_a_service(app):
    sources = [p.read_text(encoding="utf-8") for p in (*ROOT.glob("app/**/*.py"), *ROOT.glob("templates/**/*.html"))]
    used = set(route_actions(app).values())
    unused = [a for a in policy.POLICY if a not in used and not any(f'"{a}"' in s or f"'{a}'" in s for s in sources)]
    assert unused == []


EVERYONE = {
    "a customer": Role.CUSTOMER,
    "an operator": Role.OPERATOR,
    "a finance clerk": Role.FINANCE,
    "an admin": Role.ADMIN,
    "the bureau": Role.BUREAU,
}
#: action: who may take it (DESIGN.md "Who uses it", API.md's "who" column)
RIGHTS = {
    "booking.request": {"a customer"},
    "booking.operate": {"an operator", "an admin"},
    "equipment.edit": {"an operator", "an admin"},
    "invoice.manage": {"a finance clerk", "an admin"},
    "finance.manage": {"a finance clerk", "an admin"},
    "contract.manage": {"a finance clerk", "an admin"},
    "subsidy.figures": {"a finance clerk", "an admin"},
    "subsidy.claim": {"a finance clerk"},  # API.md: finance files and submits the claim
    "subsidy.claims": {"a finance clerk", "an admin", "the bureau"},
    "invoice.read": {"a customer", "a finance clerk", "an admin"},
    "booking.history": {"an operator", "a finance clerk", "an admin"},
    "company.manage": {"an admin"},
}
CASES = [(who, action) for action in RIGHTS for who in EVERYONE]


@pytest.mark.parametrize(
    ("who", "action"),
    CASES,
    ids=[f"{who} {'may' if who in RIGHTS[action] else 'may not'} {action}" for who, action in CASES],
)
def test_what_each_role_may_do(who, action):
    assert policy.may(User(role=EVERYONE[who], active=True), action) == (who in RIGHTS[action])


def test_admins_may_do_everything_finance_may_but_file_the_subsidy_claim():
    finance_only = [a for a, roles in policy.POLICY.items() if isinstance(roles, frozenset) and Role.FINANCE in roles]
    assert [a for a in finance_only if Role.ADMIN not in policy.POLICY[a]] == ["subsidy.claim"]


def test_nobody_signed_in_may_only_what_anyone_may():
    assert not policy.may(None, "account.manage")
    assert not policy.may(None, "invoice.manage")
