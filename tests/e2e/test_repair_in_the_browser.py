"""In a real browser: a breakdown turns a confirmed booking red on the operator's home page; the operator opens the
repair, sees the booking before and after, applies it in one step, and the booking is confirmed again."""

import pytest
from playwright.sync_api import expect

from tests.app.booking_data import local
from tests.app.disruption_plant import book, customer, maintenance, operator, plant  # noqa: F401
from tests.e2e.pages import flash, status

pytestmark = pytest.mark.slow


def test_the_operator_repairs_from_the_red_row_to_the_applied_plan(
    people, client, plant, customer, operator, make_user
):  # noqa: F811
    booking = book(client, customer, operator, "LF100-1", 3)
    maintenance(client, operator, "LF100-1", local(4, 0), local(4, 12))
    page = people.signed_in(make_user("operator"))
    page.goto("/")
    red = page.locator("tr.conflict").filter(has_text=booking["reference"])
    expect(red).to_contain_text("机封泄漏")
    page.get_by_role("link", name="生成修复方案").first.click()
    row = page.get_by_role("row").filter(has_text=booking["reference"])
    expect(row).to_contain_text(local(3, 8).strftime("%m-%d %H:%M"))
    page.get_by_role("button", name="应用修复方案").click()
    expect(flash(page)).to_have_text("已调整 1 个预约。")
    page.goto(f"/bookings/{booking['id']}")
    expect(status(page)).to_have_text("已确认")
    expect(page.get_by_role("heading", name="时间变更")).to_be_visible()
    assert people.problems == []
