"""In a real browser: a new company books a batch; the plant runs it, invoices it and is paid; finance claims
the year's subsidy and a bureau user verifies the claim. Every page is the Chinese one a person would see."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import detail, flash, footer_amount, linked_pdf, local_minutes, status, this_year, today
from tests.factories import valid_uscc
from tests.pdf_tools import text_of

pytestmark = pytest.mark.slow

COMPANY, CONTACT, EMAIL, PASSWORD = "塞北合成生物有限公司", "赵敏", "lab@saibei-bio.example", "saibei-2026"
#: 30 h on a 100 L vessel, 1.5 t steam, 120 kWh, 6 operator hours and 4 samples at the default prices
SUBTOTAL, TAX, TOTAL, SUBSIDY = "3,722.00", "223.32", "3,945.32", "1,116.60"


def register_the_company(page: Page) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="企业注册").click()
    page.get_by_label("企业名称").fill(COMPANY)
    page.get_by_label("统一社会信用代码").fill(valid_uscc(777))
    page.get_by_label("联系人").fill(CONTACT)
    page.get_by_label("邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()
    expect(flash(page)).to_contain_text("我们已向该邮箱发送确认链接")


def approve_the_company(page: Page) -> None:
    """The platform's admin finds the company in the review queue, its USCC checked, and approves it."""
    page.get_by_role("link", name="新企业审核").click()
    waiting = page.locator("section.review").filter(has_text=COMPANY)
    expect(waiting).to_contain_text("校验位正确")
    waiting.get_by_role("button", name="保存审核结果").click()
    expect(flash(page)).to_have_text(f"已通过 {COMPANY} 的审核。")


def book_a_free_slot(page: Page) -> str:
    """Search the default window (from two days on) for 60 L × 48 h and book the first slot; gives its reference."""
    page.get_by_role("navigation").get_by_role("link", name="预约", exact=True).click()
    page.get_by_label("工作体积（L）").fill("60")
    page.get_by_label("发酵时长（h）").fill("48")
    page.get_by_label("菌种", exact=True).fill("枯草芽孢杆菌")
    page.get_by_role("button", name="查找可用时段").click()
    first_slot = page.locator("table.slots tbody tr").first
    expect(first_slot).to_contain_text("LF100-1")
    first_slot.get_by_role("button", name="预约此时段").click()
    expect(status(page)).to_have_text("待确认")
    expect(page.get_by_role("row").filter(has_text="主发酵")).to_contain_text("LF100-1")
    expect(page.get_by_role("heading", name="预估费用")).to_be_visible()
    return re.search(r"BK\S+", page.locator("h1").inner_text()).group()


def run_the_batch(page: Page, reference: str) -> None:
    """The operator confirms the request from the queue, starts the batch now and completes it with its usage."""
    page.get_by_role("link", name="申请队列").click()
    page.get_by_role("row").filter(has_text=reference).get_by_role("button", name="确认").click()
    expect(flash(page)).to_have_text(f"预约 {reference}：已确认")
    page.get_by_role("navigation").get_by_role("link", name="预约记录").click()
    page.get_by_role("link", name=reference).click()
    expect(status(page)).to_have_text("已确认")
    page.get_by_role("button", name="在此设备上立即开始").click()  # two days before its slot: re-placed to now
    expect(status(page)).to_have_text("运行中")
    page.get_by_role("link", name="完成批次").click()
    page.get_by_label("实际开始").fill(local_minutes(-2, 8))
    page.get_by_label("实际结束").fill(local_minutes(-1, 14))  # actual times are never in the future
    page.get_by_label("蒸汽（吨）").fill("1.5")
    page.get_by_label("电耗（kWh）").fill("120")
    page.get_by_label("操作工时（h）").fill("6")
    page.get_by_label("检测样品数").fill("4")
    page.get_by_role("button", name="完成", exact=True).click()
    expect(status(page)).to_have_text("已完成")


def invoice_the_batch(page: Page, reference: str) -> str:
    """Finance drafts the invoice from the completed booking and issues it; gives its number."""
    page.get_by_role("navigation").get_by_role("link", name="发票").click()
    page.get_by_role("link", name="新建草稿").click()
    page.get_by_label("已完成的预约").select_option(label=f"{reference} · {COMPANY}")
    page.get_by_label("开票原因").fill("客户已书面确认用量")  # the batch record was not signed, so not accepted
    page.get_by_role("button", name="生成发票草稿").first.click()
    expect(flash(page)).to_have_text("草稿已保存。")
    expect(footer_amount(page, "合计金额（不含税）")).to_have_text(SUBTOTAL)
    expect(footer_amount(page, "税额")).to_have_text(TAX)
    expect(footer_amount(page, "合计（元）")).to_have_text(TOTAL)
    page.get_by_role("button", name="开具发票").click()
    expect(flash(page)).to_have_text(re.compile(r"发票 PP-\d{4}-\d{5} 已开具。"))
    expect(page.locator("h1")).to_contain_text("未付款")
    return re.search(r"PP-\d{4}-\d{5}", page.locator("h1").inner_text()).group()


def record_the_payment(page: Page) -> None:
    page.get_by_label("金额（元）").fill(TOTAL.replace(",", ""))
    page.get_by_label("收款日期").fill(today().isoformat())
    page.get_by_label("编号").fill("塞北银行回单 0001")
    page.get_by_role("button", name="登记收款").click()
    expect(flash(page)).to_have_text("收款已登记。")
    expect(page.locator("h1")).to_contain_text("已付清")
    expect(page.get_by_role("main")).to_contain_text("未收金额（元）: 0.00")


def download_the_invoice(page: Page, number: str) -> bytes:
    """The customer finds the paid invoice among the company's invoices and downloads its PDF."""
    page.get_by_role("link", name="我的发票").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(TOTAL)
    expect(row).to_contain_text("已付清")
    with page.expect_download() as download:
        row.get_by_role("link", name="PDF").click()
    return download.value.path().read_bytes()


def claim_the_year(page: Page) -> bytes:
    """Finance checks the year's live figures, makes the claim, submits it to the bureau; gives its PDF."""
    page.get_by_role("link", name="补贴申报").click()
    expect(page.locator("h1")).to_have_text(f"{this_year()} 年度补贴")
    expect(detail(page, "年度累计可申报服务性收入")).to_have_text(f"¥{SUBTOTAL}")
    expect(detail(page, "预计补助金额")).to_have_text(f"¥{SUBSIDY}")
    page.get_by_role("button", name="按当前数据生成申报").click()
    expect(flash(page)).to_have_text(f"已生成申报 SC-{this_year()}-001。")
    page.get_by_role("button", name="提交市科技局").click()
    expect(flash(page)).to_have_text(f"申报 SC-{this_year()}-001 已提交。")
    return linked_pdf(page, page.get_by_role("link", name="下载 PDF"))


def verify_the_claim(page: Page, address: str) -> None:
    """The bureau user sees the submitted claim for review, then checks it at the address printed on the PDF."""
    page.get_by_role("link", name="申报审核").click()
    expect(page.get_by_role("row").filter(has_text=f"SC-{this_year()}-001")).to_contain_text("已提交")
    page.goto(address)
    expect(page.locator("h1")).to_have_text("核验补贴申报")
    expect(page.locator(".flash")).to_have_text("有效：本申报生成后，平台账目未发生变化。")
    expect(detail(page, "编号")).to_have_text(f"SC-{this_year()}-001")
    expect(detail(page, "年度")).to_have_text(str(this_year()))
    expect(detail(page, "可申报收入")).to_have_text(f"¥{SUBTOTAL}")
    expect(detail(page, "补助金额")).to_have_text(f"¥{SUBSIDY}")
    expect(detail(page, "状态")).to_have_text("已提交")


def test_a_new_company_books_and_the_year_ends_in_a_verified_claim(
    people, make_user, add_equipment, price_list, base_url
):
    add_equipment("LF100-1", "liquid", 100)
    register_the_company(people.visitor())
    approve_the_company(people.signed_in(make_user("admin")))
    customer = people.signed_in(EMAIL, PASSWORD)
    expect(customer.get_by_role("navigation")).to_contain_text(f"退出 ({EMAIL})")
    reference = book_a_free_slot(customer)

    run_the_batch(people.signed_in(make_user("operator")), reference)

    finance = people.signed_in(make_user("finance"))
    number = invoice_the_batch(finance, reference)
    record_the_payment(finance)

    invoice = download_the_invoice(customer, number)
    assert invoice.startswith(b"%PDF") and number in text_of(invoice) and TOTAL in text_of(invoice)

    claim = text_of(claim_the_year(finance))
    assert f"SC-{this_year()}-001" in claim and f"¥{SUBSIDY}" in claim
    address = re.search(r"核验网址：(\S+)", claim).group(1)
    assert address.startswith(f"{base_url}/verify/")

    verify_the_claim(people.signed_in(make_user("bureau")), address)
    assert people.problems == []
