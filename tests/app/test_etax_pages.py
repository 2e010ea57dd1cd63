"""数电票: finance exports issued invoices in the tax platform's template and records the numbers it sends back."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.models import Invoice

SERVICE_LINE = {
    "description": "中试工艺放大服务",
    "quantity": "2",
    "unit": "天",
    "unit_price": "1000.00",
    "tax_rate": "0.06",
    "is_service": True,
}
MEDIUM_LINE = {
    "description": "培养基",
    "quantity": "10",
    "unit": "kg",
    "unit_price": "25.00",
    "tax_rate": "0.13",
    "is_service": False,
}
FAPIAO = "26152000000012345678"


@pytest.fixture
def finance(make_user, sign_in, token_for):
    email = make_user("finance")
    sign_in(email)
    return token_for(email)


@pytest.fixture
def customer(make_company):
    return make_company("甲发酵科技有限公司")[0]


def issued(client, finance, company_id, *lines) -> int:
    draft = client.post("/api/v1/invoices", headers=finance, json={"company_id": company_id, "lines": list(lines)})
    assert draft.status_code == 201, draft.get_json()
    invoice_id = draft.get_json()["id"]
    assert client.post(f"/api/v1/invoices/{invoice_id}/issue", headers=finance, json={}).status_code == 200
    return invoice_id


def form(client, path, **data):
    return client.post(path, data=data, content_type="multipart/form-data")


def test_the_export_follows_the_batch_import_template(client, finance, customer, app):
    invoice_id = issued(client, finance, customer, SERVICE_LINE)
    response = form(
        client, "/finance/etax/export", **{"export-invoice_type": "special", "export-invoice_ids": str(invoice_id)}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["1-发票基本信息", "2-发票明细信息"]
    basic, detail = workbook["1-发票基本信息"], workbook["2-发票明细信息"]
    assert basic.cell(3, 1).value == "发票流水号" and basic.cell(4, 2).value == "增值税专用发票"
    serial = basic.cell(4, 1).value
    assert serial.startswith("PP-") and detail.cell(4, 1).value == serial
    headers = [cell.value for cell in detail[3]]
    values = dict(zip(headers, [cell.value for cell in detail[4]], strict=True))
    assert values["商品和服务税收分类编码"] == "3040105000000000000" and values["税率"] == 0.06
    assert values["金额"] == 2000 and basic.cell(4, 6).value


def test_a_material_line_without_a_configured_tax_code_is_refused_with_the_reason(client, finance, customer):
    invoice_id = issued(client, finance, customer, SERVICE_LINE, MEDIUM_LINE)
    response = form(
        client, "/finance/etax/export", **{"export-invoice_type": "ordinary", "export-invoice_ids": str(invoice_id)}
    )
    assert response.status_code == 422 and "税收分类编码" in response.get_data(as_text=True)


def issued_list(rows, header=("发票号码", "开票日期", "购买方名称", "购买方纳税人识别号", "价税合计")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["已开发票查询结果"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="issued.xlsx"):
    return form(client, "/finance/etax/import", **{"import-file": (io.BytesIO(content), name)})


def test_numbers_brought_back_are_recorded_with_their_date_and_strangers_change_nothing(client, finance, customer, db):
    invoice_id = issued(client, finance, customer, SERVICE_LINE)
    mine = db.get(Invoice, invoice_id)
    uscc, day = mine.customer_uscc, mine.issued_on
    content = issued_list(
        [
            (FAPIAO, f"{day} 10:15:00", "甲发酵科技有限公司", uscc, "2120.00"),
            ("26152000000099999999", str(day), "陌生企业", "91150100MA00000X9X", "55.00"),
        ]
    )
    page = upload(client, content).get_data(as_text=True)
    assert "已登记 1 个数电票号码" in page and "没有购买方、金额和日期相符" in page
    db.expire_all()
    invoice = db.get(Invoice, invoice_id)
    assert invoice.fapiao_number == FAPIAO and invoice.fapiao_issued_on == day


def test_a_gbk_csv_from_the_platform_is_read(client, finance, customer, db):
    invoice_id = issued(client, finance, customer, SERVICE_LINE)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["发票流水号", "数电票号码", "开票日期", "购买方名称", "价税合计"])
    mine = db.get(Invoice, invoice_id)
    writer.writerow([mine.number, FAPIAO, mine.issued_on.strftime("%Y/%m/%d"), "甲发酵科技有限公司", "2,120.00"])
    upload(client, buffer.getvalue().encode("gbk"), "issued.csv")
    db.expire_all()
    assert db.get(Invoice, invoice_id).fapiao_number == FAPIAO


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (issued_list([("x",)], header=("名称",)), "无法识别文件格式"),
        (issued_list([("12345", "2026-12-03", "甲", "", "1.00")]), "第 3 行“数电票号码”列须为20位数字"),
        (issued_list([(FAPIAO, "明天", "甲", "", "1.00")]), "第 3 行“开票日期”列不是有效日期"),
        (issued_list([(FAPIAO, "2026-12-03", "甲", "", "一百元")]), "第 3 行“价税合计”列不是金额"),
        (b"not a workbook", "无法识别文件格式"),
        (b"PK\x03\x04 a damaged workbook", "无法打开工作簿"),
    ],
)
def test_a_file_that_cannot_be_read_says_where_and_changes_nothing(client, finance, customer, db, content, message):
    invoice_id = issued(client, finance, customer, SERVICE_LINE)
    response = upload(client, content)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Invoice, invoice_id).fapiao_number is None


def test_credit_notes_export_what_the_red_letter_confirmation_needs(client, finance, customer, db):
    invoice_id = issued(client, finance, customer, SERVICE_LINE)
    note = client.post(f"/api/v1/invoices/{invoice_id}/credit-notes", headers=finance, json={"reason": "服务取消"})
    assert note.status_code == 201
    sheet = load_workbook(io.BytesIO(client.get("/finance/etax/red-letter.xlsx").data)).active
    row = [cell.value for cell in sheet[4]]
    assert row[1] == db.get(Invoice, invoice_id).number and row[-1] == "服务取消"


def test_customers_cannot_open_the_etax_pages(client, customer, make_company, sign_in):
    _, email = make_company("乙企业")
    sign_in(email)
    assert client.get("/finance/etax/").status_code == 403
    assert client.get("/finance/etax/red-letter.xlsx").status_code == 403
