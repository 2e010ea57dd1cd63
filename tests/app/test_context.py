"""Services take the request's context: they run on a plain SQLAlchemy session with no Flask app at all, and the
time they record is the context's clock."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import has_app_context
from sqlalchemy.orm import Session

from app.models import Booking, Invoice, User
from app.platform.config import default_config
from app.platform.context import Context, Numbering, Solver, context_for
from app.platform.plant_rules import PlantRules
from app.services.booking import bookings
from app.services.finance import draft_lines, invoice_issue, price_lists

#: a frozen "now": 2031-03-03 09:30 in Shanghai
FROZEN = datetime(2031, 3, 3, 1, 30, tzinfo=UTC)


@pytest.fixture
def frozen(app) -> Context:
    """A context built by hand: the app's rules, a clock stopped at FROZEN, invoices numbered "T"."""
    return Context(
        PlantRules.from_config(app.config),
        now=lambda: FROZEN,
        numbering=Numbering(invoice_prefix="T", payment_terms_days=45),
        plan_cache={},
    )


@pytest.fixture
def plain_session(app):
    """A SQLAlchemy session on the test database, used outside any Flask app context."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


def a_request(days: int, hours: float = 48) -> bookings.BookingInput:
    start = FROZEN + timedelta(days=days)
    return bookings.BookingInput(
        "scale_up", "liquid", 60, hours, start, start + timedelta(days=30), "枯草芽孢杆菌", "bacillus"
    )


def test_a_booking_is_requested_and_priced_with_no_flask_app_at_all(add_equipment, make_company, frozen, plain_session):
    add_equipment("LF100-1")
    _, email = make_company()
    price_lists.ensure_default_price_list(plain_session)
    customer = plain_session.query(User).filter_by(email=email).one()
    assert not has_app_context()
    booking = bookings.request_booking(plain_session, customer, a_request(2), frozen)
    plain_session.commit()
    assert booking.allocations and booking.quote_subtotal is not None


def test_a_booking_is_requested_and_held_on_the_contexts_clock(add_equipment, make_company, frozen, plain_session):
    add_equipment("LF100-1")
    _, email = make_company()
    customer = plain_session.query(User).filter_by(email=email).one()
    booking = bookings.request_booking(plain_session, customer, a_request(2), frozen)
    plain_session.commit()
    stored = plain_session.get(Booking, booking.id)
    assert stored.requested_at == FROZEN
    assert stored.hold_until == FROZEN + timedelta(hours=frozen.rules.limits.hold_hours)
    assert stored.reference.startswith("BK3103-")


def test_an_invoice_is_issued_with_no_flask_app_on_the_contexts_clock_and_numbering(
    make_company, make_user, frozen, plain_session
):
    company_id, _ = make_company()
    finance = plain_session.query(User).filter_by(email=make_user("finance")).one()
    line = draft_lines.LineFields("中试服务", Decimal(1), "项", Decimal("1000.00"), Decimal("0.06"), True)
    draft = draft_lines.draft_from_lines(plain_session, finance, company_id, [line])
    assert not has_app_context()
    invoice_issue.issue_invoice(plain_session, finance, draft.id, None, frozen)
    plain_session.commit()
    issued = plain_session.get(Invoice, draft.id)
    assert issued.issued_at == FROZEN and issued.issued_on.isoformat() == "2031-03-03"
    assert issued.number == "T-2031-00001" and issued.due_on.isoformat() == "2031-04-17"


def test_an_edge_builds_the_context_from_the_apps_configuration(app):
    context = context_for(app, lambda: FROZEN)
    assert context.numbering.invoice_prefix == app.config["INVOICE_PREFIX"]
    assert context.platform["name"] == app.config["PLATFORM_NAME"]
    assert str(context.tz) == app.config["PLANT_TIMEZONE"] and context.today().isoformat() == "2031-03-03"
    assert context.plan_cache is app.extensions["plan_cache"]


def test_the_solver_settings_and_the_abort_and_waiting_list_rules_come_from_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "SOLVER_WORKERS", 1)
    monkeypatch.setitem(app.config, "REPAIR_TIME_LIMIT_S", 0.5)
    monkeypatch.setitem(app.config, "REPAIR_PINNED_H", 8.0)
    monkeypatch.setitem(app.config, "ABORT_WAIVED_CAUSES", ["equipment_failure", "power_cut"])
    monkeypatch.setitem(app.config, "WAITLIST_HOLD", timedelta(hours=6))
    context = context_for(app, lambda: FROZEN)
    assert context.solver == Solver(workers=1, repair_time_limit_s=0.5, repair_pinned_h=8.0)
    assert context.rules.abort_waived_causes == {"equipment_failure", "power_cut"}
    assert context.rules.waitlist_hold == timedelta(hours=6)


def test_waived_abort_causes_are_read_without_spaces_or_empty_names(monkeypatch):
    monkeypatch.setenv("ABORT_WAIVED_CAUSES", " equipment_failure , power_cut,,")
    assert default_config()["ABORT_WAIVED_CAUSES"] == ["equipment_failure", "power_cut"]
