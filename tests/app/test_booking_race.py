"""Never two batches on one vessel: racing requests, and the database's own guard."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.models import Allocation, Booking, Equipment
from tests.app.booking_data import local, request_body
from tests.concurrency import at_once

RACERS = 50
ROUNDS = 3


@pytest.fixture
def vessel(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


def race_for(app, headers: dict, body: dict) -> list[int]:
    """RACERS clients post the same slot at once; returns their status codes."""
    return at_once(RACERS, lambda _: app.test_client().post("/api/v1/bookings", json=body, headers=headers).status_code)


def test_fifty_clients_racing_for_one_slot_leave_exactly_one_winner_each_round(
    app, vessel, make_company, token_for, db
):
    _, email = make_company()
    headers = token_for(email)
    for round_ in range(ROUNDS):
        slot = request_body(equipment="LF100-1", start=local(3 + 4 * round_, 9).isoformat())
        codes = race_for(app, headers, slot)
        assert sorted(set(codes)) == [201, 409], codes
        assert codes.count(201) == 1
    assert db.query(Booking).count() == ROUNDS
    assert db.query(Allocation).filter_by(active=True).count() == ROUNDS


def test_the_database_itself_refuses_overlapping_active_allocations(app, vessel, make_company, token_for, db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite relies on BEGIN IMMEDIATE")
    _, email = make_company()
    booking = app.test_client().post("/api/v1/bookings", json=request_body(), headers=token_for(email)).get_json()
    placed = db.query(Allocation).one()
    db.add(
        Allocation(
            booking_id=booking["id"],
            equipment_id=placed.equipment_id,
            stage=placed.stage,
            start=placed.occupied_until - timedelta(minutes=1),
            end=placed.occupied_until + timedelta(hours=1),
            occupied_until=placed.occupied_until + timedelta(hours=2),
        )
    )
    with pytest.raises(IntegrityError, match="ex_allocations_no_overlap"):
        db.flush()
    db.rollback()


def test_postgresql_has_the_hand_written_exclusion_constraint(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    definition = db.execute(
        text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ex_allocations_no_overlap'")
    ).scalar()
    assert "EXCLUDE USING gist" in definition
    assert "equipment_id WITH =" in definition and "WITH &&" in definition
    assert "WHERE ((active AND (NOT in_conflict)))" in definition  # conflicted work may overlap until repaired


def test_touching_allocations_are_allowed_by_the_database(app, vessel, make_company, token_for, db):
    _, email = make_company()
    booking = app.test_client().post("/api/v1/bookings", json=request_body(), headers=token_for(email)).get_json()
    placed = db.query(Allocation).one()
    equipment_id = db.query(Equipment.id).scalar()
    db.add(
        Allocation(
            booking_id=booking["id"],
            equipment_id=equipment_id,
            stage=placed.stage,
            start=placed.occupied_until,
            end=placed.occupied_until + timedelta(hours=1),
            occupied_until=placed.occupied_until + timedelta(hours=2),
        )
    )
    db.flush()
    db.rollback()
