"""The batch report is a Chinese PDF with the record, charts and signatures; the customer's data package holds it
with the process data and samples as CSV (UTF-8 with BOM) and a manifest of SHA-256 sums; others see nothing."""

import csv
import hashlib
import io
import json
import zipfile

from tests.app.booking_data import local
from tests.app.process_data_fixtures import batch, complete, imported, trend_csv  # noqa: F401  (batch is a fixture)
from tests.factories import PASSWORD
from tests.pdf_tools import text_of


def recorded_and_signed(client, batch) -> None:
    imported(client, batch, trend_csv(rows=120, step_s=60))
    url = f"/api/v1/bookings/{batch.id}/batch-record"
    for entry in (
        {"kind": "phase", "name": "发酵", "at": local(0, 0).isoformat(), "until": local(0, 1).isoformat()},
        {"kind": "assay", "name": "OD600"},
        {"kind": "assay", "name": "残糖", "unit": "g/L"},
        {"kind": "sample", "at": local(0, 1).isoformat(), "values": {"OD600": 12.5, "残糖": 3.2}},
        {"kind": "deviation", "name": "溶氧偏低", "at": local(0, 0).isoformat(), "severity": "minor"},
    ):
        assert client.post(url + "/entries", headers=batch.operator, json=entry).status_code == 201
    complete(client, batch)
    client.post(url + "/signatures", headers=batch.operator, json={"meaning": "signoff", "password": PASSWORD})


def test_the_report_is_a_chinese_pdf_with_the_record_charts_and_signatures(client, batch):
    recorded_and_signed(client, batch)
    response = client.get(f"/api/v1/bookings/{batch.id}/batch-report", headers=batch.customer)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data)
    for words in ("批次报告", "过程趋势", "温度", "发酵", "OD600", "溶氧偏低", "操作员签署", "等待客户答复"):
        assert words in text


def test_the_data_package_holds_the_report_the_csvs_and_a_manifest_that_matches(client, batch, sign_in):
    recorded_and_signed(client, batch)
    sign_in(batch.customer_email)
    response = client.get(f"/bookings/{batch.id}/batch/data-package.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    manifest = json.loads(archive.read("manifest.json"))
    assert [f["name"] for f in manifest["files"]] == ["batch_report.pdf", "process_data.csv", "samples.csv"]
    for listed in manifest["files"]:
        assert hashlib.sha256(archive.read(listed["name"])).hexdigest() == listed["sha256"]
    process = archive.read("process_data.csv")
    assert process.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(process.decode("utf-8-sig"))))
    assert rows[0] == ["时间（北京时间）", "温度 (°C)", "pH"] and len(rows) == 121
    assert rows[1] == [local(0, 0).strftime("%Y-%m-%d %H:%M:%S"), "36.0", "7.0"]
    samples = list(csv.reader(io.StringIO(archive.read("samples.csv").decode("utf-8-sig"))))
    assert samples[0][1:] == ["取样时间（北京时间）", "OD600", "残糖 (g/L)"] and samples[1][2:] == ["12.5", "3.2"]


def test_another_company_gets_neither(client, batch, make_company, token_for):
    recorded_and_signed(client, batch)
    stranger = token_for(make_company()[1])
    assert client.get(f"/api/v1/bookings/{batch.id}/batch-report", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/bookings/{batch.id}/data-package", headers=stranger).status_code == 404
