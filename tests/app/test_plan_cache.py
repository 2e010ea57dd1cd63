"""Each worker keeps the plant's plan; after other workers' changes it catches up, and what it then says is exactly
what a plan built from scratch says."""

import random
from datetime import UTC, datetime

import pytest

from app.models import Booking, User
from app.platform.context import Context
from app.platform.db import db_session
from app.platform.errors import Conflict
from app.platform.plant_rules import PlantRules
from app.services.booking import booking_states, bookings
from app.services.plan import inventory
from app.services.plan.plan_cache import current_plan
from tests.app.booking_data import local


@pytest.fixture
def plant(app, add_equipment, make_company, make_user):
    for code in ("LF100-1", "LF100-2", "LF100-3"):
        add_equipment(code, "liquid", 100, turnaround_h=5)
    _, customer = make_company()
    operator = make_user("operator")
    with app.app_context():
        yield db_session(), PlantRules.from_config(app.config), customer, operator


def user(session, email: str) -> User:
    return session.query(User).filter_by(email=email).one()


def request(session, rules: PlantRules, email: str, cache: dict, days: int, **chosen) -> Booking:
    """A 48 h request (or the chosen slot) starting at the earliest `days` from today, placed and committed."""
    booking = bookings.request_booking(
        session,
        user(session, email),
        bookings.BookingInput(
            service="scale_up",
            kind="liquid",
            working_volume_l=60,
            duration_h=48,
            earliest_start=local(days, 8),
            latest_end=local(days + 40, 20),
            organism="枯草芽孢杆菌",
            organism_family="bacillus",
            **chosen,
        ),
        Context(rules, plan_cache=cache),
    )
    session.commit()
    return booking


def pinned(plan) -> list:
    return sorted(plan.problem.fixed), sorted(j.id for j in plan.problem.fixed_jobs)


def test_a_plan_caught_up_after_other_workers_bookings_and_cancellations_equals_a_fresh_one(plant):
    session, rules, customer, _ = plant
    now = datetime.now(UTC)
    mine, theirs = {}, {}
    request(session, rules, customer, mine, 2)
    before = current_plan(session, rules, now, mine)
    rng = random.Random(5)
    made = [request(session, rules, customer, theirs, rng.randint(2, 20)) for _ in range(6)]
    for booking in rng.sample(made, 2):
        booking_states.transition(session, user(session, customer), booking, "cancel", rules, now, cache=theirs)
        session.commit()
    after = current_plan(session, rules, now, mine)
    assert after.problem.resources is before.problem.resources  # caught up, not rebuilt
    assert pinned(after) == pinned(current_plan(session, rules, now, {}))
    assert len(after.problem.fixed_jobs) == 1 + 6 - 2


def test_a_maintenance_window_added_elsewhere_rebuilds_the_plan_and_is_respected(plant):
    session, rules, customer, operator = plant
    now = datetime.now(UTC)
    mine = {}
    before = current_plan(session, rules, now, mine)
    for code in ("LF100-1", "LF100-2", "LF100-3"):
        inventory.add_maintenance(
            session,
            user(session, operator),
            inventory.equipment_by_code(session, code),
            local(2, 0),
            local(10, 0),
            "年检",
            rules,
            now,
        )
    session.commit()
    after = current_plan(session, rules, now, mine)
    assert after.problem.resources is not before.problem.resources
    booking = request(session, rules, customer, mine, 2)
    assert min(a.start for a in booking.allocations) >= local(10, 0)


def test_a_worker_with_a_stale_plan_never_books_onto_another_workers_batch(plant):
    session, rules, customer, _ = plant
    now = datetime.now(UTC)
    mine, theirs = {}, {}
    current_plan(session, rules, now, mine)
    taken = request(session, rules, customer, theirs, 3, equipment="LF100-1", start=local(3, 8))
    with pytest.raises(Conflict):
        request(session, rules, customer, mine, 3, equipment="LF100-1", start=local(3, 9))
    session.rollback()
    other = request(session, rules, customer, mine, 3)
    held = taken.allocations[0]
    assert all(
        a.equipment_id != held.equipment_id or a.start >= held.occupied_until or a.occupied_until <= held.start
        for a in other.allocations
    )
    assert session.query(Booking).count() == 2
