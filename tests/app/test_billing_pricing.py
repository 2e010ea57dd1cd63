"""Quotes for booking requests come from the stored price list, the vessel class, planned usage and the
customer group's discount; cancelling inside the notice period costs a fee."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import billing
from app.models import Booking, Company, Invoice, PriceList
from app.ops.demo import load_demo
from app.platform.context import context_for
from app.platform.db import db_session
from app.platform.errors import ValidationFailed
from app.services.finance import customer_groups, price_lists, pricing
from tests.app.billing_data import load_price_list, make_booking

TODAY = date(2026, 2, 1)
PLANT = ZoneInfo("Asia/Shanghai")


def quote(app, booking_id: int, today: date = TODAY):
    with app.app_context():
        session = db_session()
        lines, totals = pricing.quote_for_booking(session, session.get(Booking, booking_id), today=today, tz=PLANT)
        return [(line.description, line.quantity, str(line.amount)) for line in lines], totals


def test_the_stored_default_price_list_reads_back_as_the_same_core_price_list(app):
    with app.app_context():
        session = db_session()
        row = price_lists.ensure_default_price_list(session)
        assert price_lists.to_core(row) == billing.default_price_list(date(2026, 1, 1))


def test_loading_the_demo_twice_stores_one_price_list_and_a_ledger_priced_from_it(app):
    now = datetime.now(UTC)
    with app.app_context():
        session = db_session()
        for _ in range(2):
            load_demo(session, context_for(app, lambda: now))
            session.commit()
        assert session.query(PriceList).count() == 1
        assert session.query(Invoice).filter(Invoice.price_list_id.isnot(None)).count() > 0


def test_an_unplaced_70_litre_request_is_quoted_as_the_smallest_liquid_class(app, make_company):
    load_price_list(app)
    company_id, _ = make_company()
    lines, totals = quote(app, make_booking(app, company_id, status="requested", duration_h=48, hours_run=None))
    assert lines == [
        ("液体发酵罐（30–100 L）使用费", Decimal(2), "1600.00"),
        ("液体发酵罐（30–100 L） CIP/SIP 清洗灭菌费", Decimal(1), "300.00"),
        ("操作人员工时费", Decimal(8), "1200.00"),
        ("蒸汽", Decimal("0.1"), "28.00"),
        ("电力", Decimal(96), "81.60"),
        ("样品分析检测费", Decimal(2), "400.00"),
    ]
    assert (str(totals.subtotal), str(totals.tax), str(totals.total)) == ("3609.60", "216.58", "3826.18")


def test_a_placed_request_is_quoted_by_its_vessels_class(app, make_company, add_equipment):
    load_price_list(app)
    add_equipment("LF500-1", "liquid", 500)
    company_id, _ = make_company()
    lines, totals = quote(app, make_booking(app, company_id, status="confirmed", hours_run=None, vessel="LF500-1"))
    assert lines[0] == ("液体发酵罐（200 L–1 m³）使用费", Decimal(2), "5000.00")
    assert str(totals.subtotal) == "8084.80"


def test_an_unplaced_request_takes_the_smallest_vessel_of_the_inventory_that_holds_it(app, make_company, add_equipment):
    load_price_list(app)
    add_equipment("SF2000-1", "solid", 2000)
    company_id, _ = make_company()
    lines, _ = quote(
        app, make_booking(app, company_id, status="requested", kind="solid", working_volume_l=500, hours_run=None)
    )
    assert lines[0][0] == "固态发酵罐（2–5 m³）使用费"


def test_a_volume_beyond_the_largest_bracket_is_refused_with_a_chinese_message(app, make_company):
    load_price_list(app)
    company_id, _ = make_company()
    booking_id = make_booking(app, company_id, status="requested", working_volume_l=15_000, hours_run=None)
    with pytest.raises(ValidationFailed, match="没有适合该工作体积的发酵罐规格"):
        quote(app, booking_id)


def test_the_customer_groups_discount_applies_to_service_items(app, make_company, make_user):
    load_price_list(app)
    company_id, _ = make_company()
    with app.app_context():
        session = db_session()
        finance = session.get(Company, company_id).users[0]
        group = customer_groups.create_group(session, finance, "高校及科研院所", Decimal("0.1"))
        customer_groups.assign(session, finance, company_id, group.id)
        session.commit()
    lines, totals = quote(app, make_booking(app, company_id, status="requested", hours_run=None))
    assert lines[0] == ("液体发酵罐（30–100 L）使用费（优惠10%）", Decimal(2), "1440.00")
    assert (str(totals.subtotal), str(totals.tax)) == ("3248.64", "194.92")


def test_the_price_list_in_force_on_the_earliest_start_prices_the_quote(app, make_company):
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session)
        later = billing.default_price_list(date(2026, 7, 1))
        vessel = later.items[0]
        items = (
            billing.PriceItem(
                vessel.code, vessel.name, vessel.category, vessel.unit, billing.Money("900.00"), vessel.key
            ),
            *later.items[1:],
        )
        price_lists.store_price_list(session, billing.PriceList(date(2026, 7, 1), items))
        session.commit()
    company_id, _ = make_company()
    march = make_booking(app, company_id, status="requested", hours_run=None)
    august = make_booking(app, company_id, status="requested", hours_run=None, start=datetime(2026, 8, 3, tzinfo=UTC))
    assert quote(app, march)[0][0][2] == "1600.00"
    assert quote(app, august)[0][0][2] == "1800.00"


@pytest.mark.parametrize("hours_before, fee", [(100, None), (72, None), (71.5, "721.92"), (-2, "721.92")])
def test_cancelling_inside_the_72_hour_notice_costs_20_percent_of_the_quote(app, make_company, hours_before, fee):
    load_price_list(app)
    company_id, _ = make_company()
    booking_id = make_booking(app, company_id, status="confirmed", hours_run=None)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    with app.app_context():
        session = db_session()
        lines = pricing.cancellation_fee_lines(
            session, session.get(Booking, booking_id), start - timedelta(hours=hours_before), PLANT
        )
    assert [str(line.amount) for line in lines] == ([fee] if fee else [])
    assert all(not line.is_service for line in lines)


def test_a_stored_quote_subtotal_is_the_base_of_the_cancellation_fee(app, make_company):
    load_price_list(app)
    company_id, _ = make_company()
    booking_id = make_booking(app, company_id, status="confirmed", hours_run=None)
    with app.app_context():
        session = db_session()
        booking = session.get(Booking, booking_id)
        booking.quote_subtotal = Decimal("10000.00")
        lines = pricing.cancellation_fee_lines(session, booking, datetime(2026, 3, 1, tzinfo=UTC), PLANT)
    assert [str(line.amount) for line in lines] == ["2000.00"]
