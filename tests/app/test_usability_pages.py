"""What people stumbled on (issue 19), each as the page now answers it."""

import re
from datetime import date

import pytest

from app.models import Booking, BookingStatus
from app.platform.db import db_session
from app.services.finance import price_lists
from tests.app import test_booking_pages
from tests.app.booking_data import SHANGHAI, local
from tests.app.test_booking_pages import form
from tests.app.test_pages_and_language import ROOT
from tests.factories import mails

# the fixtures of the booking pages' tests
plant, customer, operator = test_booking_pages.plant, test_booking_pages.customer, test_booking_pages.operator


PLATFORM_VALUES = {
    "PLATFORM_USCC": "91150100MA0N6U0X4R",
    "PLATFORM_CONTACT": "财务部 王敏 0471-5551234",
    "PLATFORM_BANK_ACCOUNT": "中国银行呼和浩特分行 1234 5678 9012",
    "PLATFORM_ADDRESS_PHONE": "呼和浩特 0471-5550000",
}


def forms_of(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, flags=re.DOTALL)


def booked(customer, db, days: int = 3, vessel: str = "LF100-1") -> Booking:
    customer.post(
        "/bookings/new",
        data=form(
            action="book",
            equipment=vessel,
            start=local(days, 9).isoformat(),
            earliest_start=local(days, 8).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    return db.query(Booking).order_by(Booking.id.desc()).first()


def test_the_reason_box_sits_in_the_reject_form_under_its_own_label(plant, customer, operator, db):
    booked(customer, db)
    page = operator.get("/operations/queue").get_data(as_text=True)
    confirm, reject = [f for f in forms_of(page) if "/confirm" in f or "/reject" in f]
    assert 'name="reason"' not in confirm
    assert "拒绝原因" in reject and 'name="reason"' in reject


def test_the_completion_form_starts_from_the_plan(plant, customer, operator, db):
    booking = booked(customer, db)
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    operator.post(f"/operations/bookings/{booking.id}/start", data={"here": "1"})
    page = operator.get(f"/operations/bookings/{booking.id}/complete").get_data(as_text=True)
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    assert values["power_kwh"] == "96.000" and values["operator_h"] == "8.000" and values["samples"] == "2"
    assert values["actual_end"] > values["actual_start"]


@pytest.fixture
def prices(app):
    with app.app_context():
        price_lists.ensure_default_price_list(db_session(), date(2026, 1, 1))
        db_session().commit()


def test_the_booking_page_shows_the_booked_vessel_and_time_before_the_window_asked_for(plant, customer, db):
    booking = booked(customer, db)
    page = customer.get(f"/bookings/{booking.id}").get_data(as_text=True)
    placed = page.index(local(3, 9).strftime("%Y-%m-%d %H:%M"))
    assert page.index("预约时段") < placed < page.index("申请的时间范围")


def test_cancelling_inside_the_notice_period_shows_the_fee_and_asks_before_it_charges_it(
    plant, prices, customer, db, outbox
):
    booking = booked(customer, db, days=1)
    shown = customer.get(f"/bookings/{booking.id}").get_data(as_text=True)
    step = customer.get(f"/bookings/{booking.id}/cancel").get_data(as_text=True)
    fee = re.search(r"现在取消将收取取消费 ([\d,.]+) 元", step).group(1)
    assert f"现在取消将收取取消费 {fee} 元" in shown and "开始前 72 小时内取消，收取报价（不含税）的 20%" in step
    assert db.get(Booking, booking.id).status == BookingStatus.REQUESTED
    customer.post(f"/bookings/{booking.id}/cancel", data={"reason": "计划变更"})
    assert db.get(Booking, booking.id).status == BookingStatus.CANCELLED
    assert f"取消费：{fee} 元" in mails(outbox)[-1].get_content()


def test_cancelling_early_is_free_and_the_page_says_until_when(plant, prices, customer, db, outbox):
    booking = booked(customer, db, days=10)
    step = customer.get(f"/bookings/{booking.id}/cancel").get_data(as_text=True)
    assert f"{local(7, 9).strftime('%Y-%m-%d %H:%M')} 之前取消免费" in step
    customer.post(f"/bookings/{booking.id}/cancel", data={"reason": ""})
    assert "取消费：无" in mails(outbox)[-1].get_content()


def test_each_free_slot_shows_the_estimate_the_booking_then_gets(plant, prices, customer, db):
    page = customer.post("/bookings/new", data=form(action="search")).get_data(as_text=True)
    assert "预估费用（元，含税）" in page
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, flags=re.DOTALL).group(1)
    estimate = re.search(r'<td class="money">([\d,.]+)</td>', first_row).group(1)
    start = re.search(r'name="start" value="([^"]+)"', first_row).group(1)
    vessel = re.search(r'name="equipment" value="([^"]+)"', first_row).group(1)
    customer.post("/bookings/new", data=form(action="book", equipment=vessel, start=start))
    booking = db.query(Booking).one()
    shown = customer.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert re.search(r"合计（元）</th><th>([\d,.]+)</th>", shown).group(1) == estimate


def test_a_slot_taken_meanwhile_is_said_in_words_next_to_search_again_and_the_form_keeps_its_values(
    plant, customer, db
):
    booked(customer, db)
    response = customer.post(
        "/bookings/new", data=form(action="book", equipment="LF100-1", start=local(3, 9).isoformat(), organism="黑曲霉")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    notice = re.search(r'<div class="flash error slot-taken">(.*?)</div>', page, flags=re.DOTALL).group(1)
    assert "所选时段刚被占用" in notice and 'value="search">重新查找可用时段</button>' in notice
    assert 'value="黑曲霉"' in page


def test_the_admin_sees_a_banner_naming_the_platform_details_not_yet_set(app, client, make_user, sign_in, monkeypatch):
    sign_in(make_user("admin"))
    assert "PLATFORM_BANK_ACCOUNT, PLATFORM_ADDRESS_PHONE" in client.get("/").get_data(as_text=True)
    for name, value in PLATFORM_VALUES.items():
        monkeypatch.setitem(app.config, name, value)
    assert "平台信息尚未配置" not in client.get("/").get_data(as_text=True)


def test_the_settings_check_that_make_run_calls_names_what_is_unset(app, monkeypatch):
    monkeypatch.setitem(app.config, "PLATFORM_USCC", PLATFORM_VALUES["PLATFORM_USCC"])
    result = app.test_cli_runner().invoke(args=["settings", "check"])
    assert "PLATFORM_CONTACT, PLATFORM_BANK_ACCOUNT, PLATFORM_ADDRESS_PHONE" in result.output
    assert "PLATFORM_USCC" not in result.output


def test_make_run_checks_the_settings():
    assert "flask --app wsgi settings check" in (ROOT / "Makefile").read_text()


def test_the_move_form_shows_the_placement_and_offers_only_the_bookings_stages_and_fitting_vessels(
    plant, customer, operator, db
):
    booking = booked(customer, db)
    page = operator.get(f"/operations/bookings/{booking.id}/move").get_data(as_text=True)
    current = re.search(r'<table class="current">(.*?)</table>', page, flags=re.DOTALL).group(1)
    assert "LF100-1" in current and local(3, 9).strftime("%Y-%m-%d %H:%M") in current
    stage = re.search(r'<select id="stage".*?</select>', page, flags=re.DOTALL).group(0)
    vessel = re.search(r'<select id="equipment".*?</select>', page, flags=re.DOTALL).group(0)
    assert "主发酵" in stage and "种子" not in stage
    assert re.findall(r'<option[^>]*value="([^"]+)"', vessel) == ["LF100-1", "LF100-2"]
    assert 'selected value="LF100-1"' in vessel and f'value="{local(3, 9).strftime("%Y-%m-%dT%H:%M")}"' in page


def test_a_refused_move_says_in_chinese_which_booking_vessel_and_time_are_in_the_way(plant, customer, operator, db):
    first = booked(customer, db)
    second = booked(customer, db, vessel="LF100-2")
    page = operator.post(
        f"/operations/bookings/{second.id}/move",
        data={"stage": "main", "equipment": "LF100-1", "start": local(3, 10).strftime("%Y-%m-%dT%H:%M")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"预约 {second.reference} 的主发酵阶段在 LF100-1 上 {local(3, 10).strftime('%m-%d %H:%M')} 开始" in page
    assert f"但预约 {first.reference} 的主发酵阶段及其清洗灭菌要到" in page
    assert " stage " not in page and " min" not in page


def test_a_move_that_changes_nothing_is_refused_and_mails_no_one(plant, customer, operator, db, outbox):
    booking = booked(customer, db)
    sent = len(mails(outbox))
    page = operator.post(
        f"/operations/bookings/{booking.id}/move",
        data={"stage": "main", "equipment": "LF100-1", "start": local(3, 9).strftime("%Y-%m-%dT%H:%M")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "的安排与原来相同，没有需要调整的内容" in page and len(mails(outbox)) == sent


def test_the_mail_of_a_move_labels_the_old_and_the_new_placement(plant, customer, operator, db, outbox):
    booking = booked(customer, db)
    operator.post(
        f"/operations/bookings/{booking.id}/move",
        data={"stage": "main", "equipment": "LF100-2", "start": local(4, 9).strftime("%Y-%m-%dT%H:%M")},
    )
    body = mails(outbox)[-1].get_content()
    before, after = body.split("调整前（北京时间）：")[1].split("调整后（北京时间）：")
    assert "LF100-1" in before and local(3, 9).strftime("%Y-%m-%d %H:%M") in before
    assert "LF100-2" in after and local(4, 9).strftime("%Y-%m-%d %H:%M") in after


def test_the_subsidy_page_names_the_reasons_for_leaving_revenue_out_in_english_too(
    client, books, make_company, make_user, sign_in
):
    company, _ = make_company("乙客户")
    books.credit(books.invoice(company, date(2026, 6, 1), "10000.00"), date(2026, 6, 2))
    sign_in(make_user("finance"))
    page = client.get("/subsidy/2026?lang=en").get_data(as_text=True)
    assert "<td>Void</td>" in page and "作废" not in page


def test_a_running_batch_shows_its_actual_start_first(plant, customer, operator, db):
    booking = booked(customer, db)
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    operator.post(f"/operations/bookings/{booking.id}/start", data={"here": "1"})
    started = db.get(Booking, booking.id).actual_start
    page = customer.get(f"/bookings/{booking.id}").get_data(as_text=True)
    actual = re.search(r'<p class="actual">(.*?)</p>', page, flags=re.DOTALL).group(1)
    assert page.index('class="actual"') < page.index("申请的时间范围")
    assert "实际" in actual and "运行中" in actual and started.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in actual


def test_the_history_of_a_moved_booking_reads_in_words_and_plant_time(plant, customer, operator, db):
    booking = booked(customer, db)
    operator.post(f"/operations/bookings/{booking.id}/confirm")
    operator.post(
        f"/operations/bookings/{booking.id}/move",
        data={"stage": "main", "equipment": "LF100-2", "start": local(4, 9).strftime("%Y-%m-%dT%H:%M")},
    )
    page = operator.get(f"/bookings/{booking.id}/history").get_data(as_text=True)
    assert "新状态: 已确认<br>原状态: 待确认" in page
    assert f"主发酵 LF100-2 {local(4, 9).strftime('%Y-%m-%d %H:%M')}" in page
    assert "+00:00" not in page and "booking.moved" not in page and "confirmed" not in page
