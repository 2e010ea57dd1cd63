"""Money is exact integer fen in the database; times are aware UTC in and out."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy.exc import StatementError

from app.models import Equipment, MaintenanceWindow
from app.platform.types import Fen

fen = Fen()


@pytest.mark.parametrize(
    "amount, stored",
    [
        (Decimal("0.01"), 1),
        (Decimal("1234.50"), 123450),
        (Decimal("-7.00"), -700),
        (Decimal("1000000.00"), 100000000),
        (Decimal("0"), 0),
    ],
)
def test_money_is_stored_as_whole_fen_and_read_back_exactly(amount, stored):
    assert fen.process_bind_param(amount, None) == stored
    assert fen.process_result_value(stored, None) == amount


def test_a_float_is_refused_as_money():
    with pytest.raises(TypeError):
        fen.process_bind_param(0.1, None)


def test_a_fraction_of_a_fen_is_refused():
    with pytest.raises(ValueError):
        fen.process_bind_param(Decimal("0.005"), None)


def test_a_datetime_comes_back_aware_utc_whatever_zone_it_went_in(db, add_equipment):
    add_equipment("R1")
    equipment = db.query(Equipment).one()
    start = datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=8)))
    db.add(MaintenanceWindow(equipment_id=equipment.id, start=start, end=start + timedelta(hours=2)))
    db.commit()
    db.expire_all()
    window = db.query(MaintenanceWindow).one()
    assert window.start == start
    assert window.start.tzinfo == UTC
    assert window.start.hour == 15


def test_a_naive_datetime_is_refused(db, add_equipment):
    add_equipment("R1")
    equipment = db.query(Equipment).one()
    db.add(MaintenanceWindow(equipment_id=equipment.id, start=datetime(2026, 1, 1), end=datetime(2026, 1, 2)))
    with pytest.raises(StatementError):
        db.flush()
    db.rollback()
