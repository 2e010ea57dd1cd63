"""The booking lifecycle as one table: every state, every action, every kind of actor — allowed or refused, and
the state it leads to. Each case reads as a sentence, e.g. "an own customer may cancel a confirmed booking:
it becomes cancelled"."""

from unittest.mock import MagicMock

import pytest

from app.models import Booking, BookingStatus, Role, User
from app.platform.errors import Conflict, Forbidden
from app.services.booking import lifecycle

UNSTARTED = {"requested", "confirmed", "conflicted"}
OPERATORS = {"an operator", "an admin"}
NOBODY: set[str] = set()  # it follows from another act: issuing or crediting an invoice, a fact on the plan

#: action: (the states it starts from, the state it leads to (None: stays), who may take it)
TABLE = {
    "confirm": ({"requested"}, "confirmed", OPERATORS),
    "reject": ({"requested"}, "rejected", OPERATORS),
    "cancel": (UNSTARTED, "cancelled", OPERATORS | {"its own customer"}),
    "start": ({"confirmed", "conflicted"}, "running", OPERATORS),
    "complete": ({"running"}, "completed", OPERATORS),
    "extend": ({"running"}, None, OPERATORS),
    "abort": ({"running"}, "aborted", OPERATORS),
    "move": (UNSTARTED, None, OPERATORS),
    "repair": ({"conflicted"}, "confirmed", OPERATORS),
    "accept": ({"confirmed", "conflicted"}, None, OPERATORS | {"its own customer"}),
    "invoice": ({"completed"}, "invoiced", NOBODY),
    "void": ({"invoiced"}, "completed", NOBODY),
    "conflict": ({"confirmed"}, "conflicted", NOBODY),
    "resolve": ({"conflicted"}, "confirmed", NOBODY),
}
ACTORS = {
    "an operator": (Role.OPERATOR, None),
    "an admin": (Role.ADMIN, None),
    "a finance clerk": (Role.FINANCE, None),
    "a bureau reader": (Role.BUREAU, None),
    "its own customer": (Role.CUSTOMER, 1),
    "another company's customer": (Role.CUSTOMER, 2),
}
CASES = [
    (actor, action, state.value)
    for action, (_, _, who) in TABLE.items()
    for state in BookingStatus
    for actor in sorted(who) or ["an operator"]
] + [  # refused by role where the state would allow it
    (actor, action, sorted(sources)[0])
    for action, (sources, _, who) in TABLE.items()
    if who
    for actor in ACTORS
    if actor not in who
]


def sentence(case) -> str:
    actor, action, state = case
    sources, target, who = TABLE[action]
    leads = f"it {'stays' if target is None else 'becomes'} {target or state}"
    if not who:
        return f"no one may {action} a {state} booking; it follows" + (f": {leads}" if state in sources else " never")
    if actor not in who:
        return f"{actor} may not {action} a {state} booking"
    if state not in sources:
        return f"{actor} may not {action} a {state} booking"
    return f"{actor} may {action} a {state} booking: {leads}"


def booking_of(state: str) -> Booking:
    return Booking(id=7, company_id=1, status=BookingStatus(state), status_reason="")


def actor_of(name: str) -> User:
    role, company_id = ACTORS[name]
    return User(id=3, role=role, company_id=company_id)


def test_the_table_names_every_action_of_the_lifecycle():
    assert set(TABLE) == set(lifecycle.TRANSITIONS)


@pytest.mark.parametrize("case", CASES, ids=[sentence(c) for c in CASES])
def test_who_may_take_which_action_from_which_state_and_where_it_leads(case):
    actor_name, action, state = case
    sources, target, who = TABLE[action]
    booking, actor = booking_of(state), actor_of(actor_name)
    allowed = actor_name in who and state in sources
    assert (action in lifecycle.allowed_actions(actor, booking)) == allowed
    if actor_name not in who and who:
        with pytest.raises(Forbidden):
            lifecycle.check_may(actor, booking, action)
    elif state not in sources:
        assert not lifecycle.state_allows(booking, action)
        if who:
            with pytest.raises(Conflict):
                lifecycle.check_may(actor, booking, action)
        assert not lifecycle.follow(MagicMock(), actor, booking, action)
    elif who:
        lifecycle.arrive(MagicMock(), actor, booking, action, lifecycle.check_may(actor, booking, action), "why")
        assert booking.status == BookingStatus(target or state)
    if not who and state in sources:
        assert lifecycle.follow(MagicMock(), actor, booking, action)
        assert booking.status == BookingStatus(target)


def test_a_customer_is_offered_to_cancel_or_accept_its_own_changed_booking_and_nothing_of_another_company():
    own, other = actor_of("its own customer"), actor_of("another company's customer")
    assert lifecycle.allowed_actions(own, booking_of("conflicted")) == {"cancel", "accept"}
    assert lifecycle.allowed_actions(other, booking_of("conflicted")) == frozenset()


def test_finished_bookings_offer_nothing_to_anyone():
    for state in ("invoiced", "rejected", "cancelled", "aborted"):
        for name in ACTORS:
            assert lifecycle.allowed_actions(actor_of(name), booking_of(state)) == frozenset(), (name, state)


def test_the_named_sets_of_states_are_those_of_the_transitions():
    assert lifecycle.UNSTARTED == lifecycle.TRANSITIONS["move"].sources == lifecycle.TRANSITIONS["cancel"].sources
    assert lifecycle.UNSTARTED | lifecycle.TRANSITIONS["complete"].sources == lifecycle.OPEN
    assert {lifecycle.TRANSITIONS["complete"].target, lifecycle.TRANSITIONS["invoice"].target} == lifecycle.FINISHED
    assert lifecycle.FINISHED | lifecycle.TRANSITIONS["complete"].sources == lifecycle.RAN
    assert set(lifecycle.STATUS_NAMES) == set(BookingStatus)
