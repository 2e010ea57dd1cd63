"""In a real browser: the operator imports the fermenter's trend export for a running batch (with the mapping
step), keeps the record and signs it off; the customer sees the charts, accepts the usage and downloads the data
package, whose manifest matches its files."""

import hashlib
import io
import json
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.app.process_data_fixtures import batch, complete, trend_csv  # noqa: F401  (batch is a fixture)
from tests.e2e.pages import flash, local_minutes
from tests.factories import PASSWORD

pytestmark = pytest.mark.slow


def import_the_trends(page: Page, booking_id: int) -> None:
    """Upload without a mapping, name the offered columns, upload again; the job's page shows what was stored."""
    page.goto(f"/bookings/{booking_id}")
    page.get_by_role("link", name="批记录与过程数据").click()
    export = {"name": "DCS导出.csv", "mimeType": "text/csv", "buffer": trend_csv(rows=360, step_s=60, spike_at=200)}
    page.get_by_label("趋势导出文件").set_input_files(export)
    page.get_by_role("button", name="导入", exact=True).click()
    mapping = page.get_by_label("位号，每行一个")
    expect(mapping).to_have_value("TIC101 | TIC101 | \nAIC102 | AIC102 | ")
    mapping.fill("TIC101 | 温度 | °C\nAIC102 | pH |")
    page.get_by_label("趋势导出文件").set_input_files(export)
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="温度")).to_contain_text("360")
    page.get_by_role("link", name="查看趋势图").click()
    expect(page.locator("figure.trend")).to_have_count(2)


def keep_and_sign_the_record(page: Page, client, batch) -> None:  # noqa: F811  (batch: the fixture's value)
    page.get_by_label("类型").select_option("assay")
    page.get_by_label("名称", exact=True).fill("OD600")
    page.get_by_role("button", name="保存记录").click()
    expect(flash(page)).to_have_text("记录已保存。")
    page.get_by_label("类型").select_option("sample")
    page.get_by_label("时间", exact=True).fill(local_minutes(0, 2))
    page.get_by_label("数值").fill("OD600=12,5")
    page.get_by_role("button", name="保存记录").click()
    expect(page.get_by_role("cell", name="12.5", exact=True)).to_be_visible()
    complete(client, batch)
    page.reload()
    page.get_by_label("您的密码（作为签名）").fill(PASSWORD)
    page.get_by_role("button", name="签署", exact=True).click()
    expect(flash(page)).to_have_text("已签名。")
    expect(page.get_by_role("cell", name="操作员签署：本人确认本批记录真实、完整")).to_be_visible()


def accept_and_download(page: Page, booking_id: int) -> bytes:
    page.goto(f"/bookings/{booking_id}")
    page.get_by_role("button", name="验收批次并确认用量").click()
    expect(flash(page)).to_have_text("谢谢，您的答复已记录。")
    expect(page.locator("#acceptance + dl")).to_contain_text("客户已于")
    expect(page.locator("figure.trend").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="数据包（ZIP）").click()
    return download.value.path().read_bytes()


def test_from_the_operator_s_upload_to_the_customer_s_data_package(people, client, batch):  # noqa: F811
    operator = people.signed_in(batch.operator_email)
    import_the_trends(operator, batch.id)
    keep_and_sign_the_record(operator, client, batch)
    package = zipfile.ZipFile(io.BytesIO(accept_and_download(people.signed_in(batch.customer_email), batch.id)))
    manifest = json.loads(package.read("manifest.json"))
    for listed in manifest["files"]:
        assert hashlib.sha256(package.read(listed["name"])).hexdigest() == listed["sha256"]
    assert package.read("process_data.csv").decode("utf-8-sig").count("\n") == 361
    assert "99.0" in package.read("process_data.csv").decode("utf-8-sig")  # the spike, every point exported
    mapping_step = [p for p in people.problems if "/batch/process-data" in p and "422" in p]
    assert len(mapping_step) == 1  # the upload without a mapping answers 422 with the columns to name
    assert [p for p in people.problems if p not in mapping_step] == []
