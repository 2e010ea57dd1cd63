"""In Chromium, what people stumbled on (issue 19): a customer's whole journey on a 390×844 phone (menu,
prices before booking, the fee before cancelling, invoices), and the schedule board on a 1366 px screen with
sixty vessels, a month wide, in English."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.app.billing_data import issued_invoice
from tests.app.booking_data import request_body
from tests.e2e.browser import PHONE
from tests.e2e.pages import status

pytestmark = pytest.mark.slow
LAPTOP = {"width": 1366, "height": 900}


def fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def menu_link(page: Page, name: str) -> None:
    """Open the folded menu and follow a link of it."""
    menu = page.locator("nav.menu")
    expect(menu).to_be_hidden()
    page.get_by_text("菜单").click()
    menu.get_by_role("link", name=name, exact=True).click()


def test_a_customer_books_cancels_and_reads_invoices_on_a_phone(
    people, app, make_company, make_user, add_equipment, price_list
):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    company_id, email = make_company("塞北合成生物手机测试有限公司")
    issued_invoice(app, make_user("finance"), company_id)
    page = people.signed_in(email, viewport=PHONE)
    fits_the_screen(page)
    menu_link(page, "预约")
    page.get_by_label("工作体积（L）").fill("60")
    page.get_by_label("发酵时长（h）").fill("48")
    page.get_by_label("菌种", exact=True).fill("枯草芽孢杆菌")
    page.get_by_role("button", name="查找可用时段").click()
    slot = page.locator("table.slots tbody tr").first
    expect(slot.locator("td.money")).to_have_text(re.compile(r"^\d[\d,]*\.\d\d$"))
    book = slot.get_by_role("button", name="预约此时段")
    assert book.bounding_box()["height"] < 50  # one line, not one character a line
    fits_the_screen(page)
    book.click()
    expect(status(page)).to_have_text("待确认")
    expect(page.locator("h2").first).to_have_text("预约时段")
    fits_the_screen(page)
    page.get_by_role("link", name="取消此预约…").click()
    expect(page.locator(".fee")).to_contain_text("现在取消将收取取消费")
    page.get_by_role("button", name="确认取消此预约").click()
    expect(status(page)).to_have_text("已取消")
    menu_link(page, "我的发票")
    table = page.locator("main table")
    expect(table.get_by_role("link", name="PDF")).to_be_visible()
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # the table scrolls inside its box
    fits_the_screen(page)
    assert people.problems == []


def test_the_board_fills_a_wide_screen_scrolls_a_month_sideways_and_reads_with_sixty_vessels(
    people, client, make_user, make_company, add_equipment, token_for
):
    for n in range(60):
        add_equipment(f"LF100-{n + 1:02d}", "liquid", 100, turnaround_h=5)
    _, customer = make_company()
    assert client.post("/api/v1/bookings", json=request_body(), headers=token_for(customer)).status_code == 201
    page = people.signed_in(make_user("operator"), viewport=LAPTOP)
    page.goto("/operations/board?lang=en")
    board = page.locator(".board-scroll")
    assert board.bounding_box()["width"] > LAPTOP["width"] - 80
    assert board.evaluate("b => b.scrollWidth <= b.clientWidth")  # two weeks fit
    expect(page.locator(".board-head text").nth(1)).to_have_text(re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$"))
    expect(page.locator("svg.board-body g.bar title").first).to_contain_text("Main fermentation")
    rows = page.locator(".board-rows li")
    expect(rows).to_have_count(60)
    assert all(rows.nth(k).bounding_box()["height"] >= 24 for k in (0, 59))
    page.get_by_role("link", name="31").click()
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")  # a month scrolls sideways
    board.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    label = rows.first.bounding_box()
    assert label["x"] >= board.bounding_box()["x"] - 1  # the vessel codes stay in view
    assert people.problems == []
