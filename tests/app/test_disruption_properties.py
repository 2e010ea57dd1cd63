"""After any sequence of breakdowns, returns to service and repairs, every confirmed booking's placement holds and
every broken one is conflicted (and nothing else is)."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Booking, BookingStatus, Equipment, MaintenanceWindow, User
from app.platform.context import Context, Solver, current_context
from app.platform.db import db_session
from app.platform.errors import Conflict
from app.services.plan import inventory, repair, schedule
from app.services.plan.plan_check import broken_bookings
from tests.app.booking_data import local
from tests.app.disruption_plant import book, customer, operator  # noqa: F401

VESSELS = ("LF100-1", "LF100-2", "LF100-3")
PLACED = (BookingStatus.CONFIRMED, BookingStatus.CONFLICTED)
QUICK_REPAIR = Solver(workers=1, repair_time_limit_s=0.5, repair_pinned_h=4)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("breakdown"), st.sampled_from(VESSELS), st.integers(2, 14), st.integers(2, 72)),
        st.tuples(st.just("status"), st.sampled_from(VESSELS), st.sampled_from(["maintenance", "active"])),
        st.tuples(st.just("repair")),
    ),
    min_size=1,
    max_size=6,
)


def holds(session, rules, now) -> None:
    broken = set(broken_bookings(session, rules, now))
    placed = list(session.scalars(select(Booking).where(Booking.status.in_(PLACED))))
    assert {b.id for b in placed if b.status == BookingStatus.CONFLICTED} == {b.id for b in placed if b.id in broken}


def step(session, actor, rules, now, action) -> None:
    if action[0] == "breakdown":
        _, code, day, hours = action
        inventory.add_maintenance(
            session,
            actor,
            inventory.equipment_by_code(session, code),
            local(day, 3),
            local(day, 3) + timedelta(hours=hours),
            "故障",
            rules,
            now,
        )
    elif action[0] == "status":
        inventory.set_status(session, actor, inventory.equipment_by_code(session, action[1]), action[2], rules, now)
    else:
        try:
            proposal = repair.propose_repair(session, Context(rules, lambda: now, solver=QUICK_REPAIR))
            schedule.apply_moves(
                session, actor, rules, now, {m.booking.id: m.after for m in proposal.moves}, proposal.plan_version
            )
        except Conflict:
            session.rollback()  # no valid plan for all of them: the conflicts stay, as they are
            return
    session.commit()


def back_to_normal(session, actor, rules, now) -> None:
    """Every vessel in service and no window: the start of an example (itself a sequence of changes)."""
    for window_id in list(session.scalars(select(MaintenanceWindow.id))):
        inventory.remove_maintenance(session, actor, window_id, rules, now)
    for item in session.scalars(select(Equipment)):
        inventory.set_status(session, actor, item, "active", rules, now)
    session.commit()


def test_after_any_disruptions_and_repairs_exactly_the_broken_bookings_are_conflicted(
    app, client, add_equipment, customer, operator, make_user
):  # noqa: F811
    for code in VESSELS:
        add_equipment(code, "liquid", 100, turnaround_h=5)
    for k, code in enumerate(VESSELS * 2):
        book(client, customer, operator, code, 2 + 5 * (k // 3) + k % 3)
    email = make_user("operator")

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(STEPS)
    def check(actions):
        with app.app_context():
            session, rules, now = db_session(), current_context().rules, current_context().now()
            actor = session.scalar(select(User).where(User.email == email))
            back_to_normal(session, actor, rules, now)
            holds(session, rules, now)
            for action in actions:
                step(session, actor, rules, now, action)
                holds(session, rules, now)

    check()
