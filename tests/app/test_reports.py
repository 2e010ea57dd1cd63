"""Monthly reports: interval clipping, vessel utilisation and service hours per customer, pages and CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models import Allocation, Booking, BookingStatus, Equipment, Kind, MaintenanceWindow, Service, Stage
from app.platform.errors import ValidationFailed
from app.services.plan import reports

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = UTC


def at(day: int, hour: int, month: int = 3) -> datetime:
    """2026-`month`-`day` at `hour`:00 plant-local time (day 0 is the last day of the month before)."""
    return datetime(2026, month, 1, tzinfo=SHANGHAI) + timedelta(days=day - 1, hours=hour)


def h(hour: int) -> datetime:
    return datetime(2026, 3, 2, hour, tzinfo=UTC)


WINDOW = (h(10), h(14))


@pytest.mark.parametrize(
    "case, interval, expected",
    [
        ("before", (h(6), h(8)), None),
        ("touching before", (h(8), h(10)), None),
        ("overlapping the start", (h(9), h(11)), (h(10), h(11))),
        ("starting together, ending inside", (h(10), h(12)), (h(10), h(12))),
        ("the same", (h(10), h(14)), (h(10), h(14))),
        ("inside", (h(11), h(12)), (h(11), h(12))),
        ("containing", (h(9), h(15)), (h(10), h(14))),
        ("ending together, starting inside", (h(12), h(14)), (h(12), h(14))),
        ("overlapping the end", (h(13), h(15)), (h(13), h(14))),
        ("touching after", (h(14), h(16)), None),
        ("after", (h(15), h(16)), None),
    ],
)
def test_clipping_an_interval_to_a_window(case, interval, expected):
    assert reports.clip(interval, WINDOW) == expected


def test_hours_inside_count_overlapping_intervals_once():
    assert reports.hours_inside([(h(9), h(11)), (h(10), h(12)), (h(13), h(20))], WINDOW) == 3.0
    assert reports.hours_inside([], WINDOW) == 0.0


def test_a_month_is_the_plant_local_calendar_month_in_utc():
    assert reports.month_window(2026, 3, SHANGHAI) == (
        datetime(2026, 2, 28, 16, tzinfo=UTC),
        datetime(2026, 3, 31, 16, tzinfo=UTC),
    )
    assert reports.month_window(2026, 12, SHANGHAI)[1] == datetime(2026, 12, 31, 16, tzinfo=UTC)


@pytest.mark.parametrize("year, month", [("abc", "3"), ("2026", "13"), ("2026", "0"), ("1999", "1"), ("2026", "x")])
def test_a_bad_month_is_refused_in_chinese(year, month):
    with pytest.raises(ValidationFailed) as error:
        reports.parse_month(year, month, date(2026, 11, 29))
    assert "月" in error.value.message or "年" in error.value.message


def test_no_month_means_the_current_one():
    assert reports.parse_month(None, "", date(2026, 11, 29)) == (2026, 11)


@pytest.fixture
def march(db, make_company, add_equipment):
    """Two vessels, two companies, five bookings around March 2026 and overlapping maintenance."""
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF200-1", "liquid", 200, turnaround_h=7)
    jia, yi = make_company("甲公司")[0], make_company("乙公司")[0]
    vessels = {e.code: e for e in db.query(Equipment)}
    add = _adder(db, vessels)
    add(jia, BookingStatus.CONFIRMED, [("LF100-1", Stage.MAIN, at(0, 8), at(2, 8))])  # 32 h inside March
    add(yi, BookingStatus.REQUESTED, [("LF100-1", Stage.MAIN, at(10, 8), at(12, 8))])
    add(
        yi,
        BookingStatus.CONFIRMED,
        [("LF200-1", Stage.SEED, at(5, 8), at(6, 8)), ("LF100-1", Stage.MAIN, at(6, 10), at(8, 10))],
    )
    add(jia, BookingStatus.CANCELLED, [("LF100-1", Stage.MAIN, at(20, 8), at(21, 8))], active=False)
    add(jia, BookingStatus.COMPLETED, [("LF100-1", Stage.MAIN, at(31, 20), at(32, 20))])  # 4 h inside March
    lf100 = vessels["LF100-1"].id
    db.add_all(
        [
            MaintenanceWindow(equipment_id=lf100, start=at(15, 0), end=at(16, 0)),
            MaintenanceWindow(equipment_id=lf100, start=at(15, 12), end=at(16, 12)),
        ]
    )
    db.commit()


def _adder(db, vessels):
    serial = iter(range(1, 100))

    def add(company_id, status, stages, active=True):
        first, last = stages[0][2], stages[-1][3]
        booking = Booking(
            reference=f"BK2603-T{next(serial):05d}",
            company_id=company_id,
            service=Service.SCALE_UP,
            kind=Kind.LIQUID,
            working_volume_l=60,
            duration_h=48,
            earliest_start=first,
            latest_end=last + timedelta(days=1),
            organism="枯草芽孢杆菌",
            status=status,
        )
        for code, stage, start, end in stages:
            vessel = vessels[code]
            booking.allocations.append(
                Allocation(
                    equipment_id=vessel.id,
                    stage=stage,
                    start=start,
                    end=end,
                    active=active,
                    occupied_until=end + timedelta(hours=vessel.turnaround_h),
                )
            )
        db.add(booking)

    return add


def test_utilisation_counts_booked_hours_turnaround_apart_and_maintenance_off_availability(db, march):
    rows = {r.code: r for r in reports.vessel_utilisation(db, 2026, 3, SHANGHAI)}
    lf100, lf200 = rows["LF100-1"], rows["LF200-1"]
    assert lf100.available_h == 744 - 36
    assert lf100.booked_h == 32 + 48 + 48 + 4
    assert lf100.turnaround_h == 5 + 5 + 5
    assert lf100.utilisation == pytest.approx(132 / 708)
    assert (lf200.available_h, lf200.booked_h, lf200.turnaround_h) == (744, 24, 7)


def test_service_hours_count_main_stages_of_confirmed_and_later_bookings(db, march):
    rows = reports.customer_service_hours(db, 2026, 3, SHANGHAI)
    assert [(r.company, r.bookings, r.service_h) for r in rows] == [("乙公司", 1, 48.0), ("甲公司", 2, 36.0)]


def test_an_empty_month_has_free_vessels_and_no_service_hours(db, march):
    rows = reports.vessel_utilisation(db, 2026, 6, SHANGHAI)
    assert {(r.code, r.booked_h, r.available_h) for r in rows} == {("LF100-1", 0, 720), ("LF200-1", 0, 720)}
    assert reports.customer_service_hours(db, 2026, 6, SHANGHAI) == []


@pytest.fixture
def operator(make_user, sign_in):
    return sign_in(make_user("operator"))


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_utilisation_page_and_csv(client, march, operator):
    page = client.get("/reports/utilisation?year=2026&month=3").get_data(as_text=True)
    assert "LF100-1" in page and "18.6 %" in page
    rows = read_csv(client.get("/reports/utilisation.csv?year=2026&month=3"))
    assert rows[0][3] == "可用时长（小时）"
    assert [rows[1][0], *rows[1][3:]] == ["LF100-1", "708.0", "132.0", "15.0", "18.6"]


def test_the_service_hours_page_and_csv(client, march, operator):
    assert "甲公司" in client.get("/reports/service-hours?year=2026&month=3").get_data(as_text=True)
    rows = read_csv(client.get("/reports/service-hours.csv?year=2026&month=3"))
    assert rows[1:] == [["乙公司", "1", "48.0"], ["甲公司", "2", "36.0"]]


def test_a_bad_month_gives_a_chinese_message_not_a_500(client, operator):
    response = client.get("/reports/utilisation?year=2026&month=13")
    assert response.status_code == 422 and "月份须在 1 至 12 之间" in response.get_data(as_text=True)


def test_reports_are_for_operators(client, make_company, sign_in):
    sign_in(make_company()[1])
    assert client.get("/reports/utilisation").status_code == 403
    assert client.get("/reports/service-hours.csv").status_code == 403


def test_utilisation_and_service_hours_follow_the_batch_as_it_actually_ran(db, march):
    ran = (
        db.query(Booking)
        .filter_by(status=BookingStatus.CONFIRMED)
        .join(Booking.allocations)
        .filter(Allocation.stage == Stage.SEED)
        .one()
    )  # planned on LF100-1 from day 6 10:00 to day 8 10:00
    ran.status, ran.actual_start, ran.actual_end = BookingStatus.COMPLETED, at(6, 12), at(8, 18)  # 54 h
    db.commit()
    lf100 = {r.code: r for r in reports.vessel_utilisation(db, 2026, 3, SHANGHAI)}["LF100-1"]
    assert (lf100.booked_h, lf100.turnaround_h) == (32 + 54 + 48 + 4, 5 + 5 + 5)
    assert ("乙公司", 1, 54.0) in [
        (r.company, r.bookings, r.service_h) for r in reports.customer_service_hours(db, 2026, 3, SHANGHAI)
    ]


def test_a_batch_that_ran_in_the_next_month_counts_there_not_where_it_was_planned(db, march):
    moved = db.query(Booking).filter_by(status=BookingStatus.REQUESTED).one()  # planned day 10 to 12, 08:00
    moved.status, moved.actual_start, moved.actual_end = BookingStatus.COMPLETED, at(33, 8), at(34, 8)
    db.commit()
    april = {r.code: r for r in reports.vessel_utilisation(db, 2026, 4, SHANGHAI)}["LF100-1"]
    march_ = {r.code: r for r in reports.vessel_utilisation(db, 2026, 3, SHANGHAI)}["LF100-1"]
    assert (april.booked_h, april.turnaround_h) == (20 + 24, 5 + 5)
    assert march_.booked_h == 32 + 48 + 4
