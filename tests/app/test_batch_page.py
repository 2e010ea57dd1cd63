"""The batch page: operators upload a trend export (with a mapping step when the vessel has none saved); the
operator and the batch's customer see the trends as SVG charts and choose tags and a time range."""

import io
from datetime import timedelta

from app.models import ProcessDataSet
from tests.app.booking_data import local
from tests.app.process_data_fixtures import batch, imported, trend_csv  # noqa: F401  (batch is a fixture)

TAG_LINES = "TIC101 | 温度 | °C\nAIC102 | pH |"


def post_file(client, batch, data: bytes, **fields):
    form = {
        "file": (io.BytesIO(data), "trend.csv"),
        "time_column": "",
        "time_format": "",
        "timezone": "",
        "tags": "",
        **fields,
    }
    return client.post(f"/bookings/{batch.id}/batch/process-data", data=form, content_type="multipart/form-data")


def test_an_operator_uploads_with_a_mapping_and_sees_the_charts(client, batch, sign_in, db):
    sign_in(batch.operator_email)
    response = post_file(client, batch, trend_csv(rows=60), time_column="时间", tags=TAG_LINES)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)  # the import job's page
    assert "<td>温度</td><td>°C</td><td>60</td>" in job_page and f"/bookings/{batch.id}/batch" in job_page
    page = client.get(f"/bookings/{batch.id}/batch").get_data(as_text=True)
    assert page.count("<svg") >= 2 and '<path d="M' in page
    assert "温度 (°C)" in page and "TIC101 | 温度 | °C" in page  # the saved mapping fills the next upload
    assert db.query(ProcessDataSet).count() == 1


def test_without_a_saved_mapping_the_page_offers_the_file_s_columns_to_name(client, batch, sign_in, db):
    sign_in(batch.operator_email)
    response = post_file(client, batch, trend_csv())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "TIC101 | TIC101 |" in page and "AIC102 | AIC102 |" in page
    assert db.query(ProcessDataSet).count() == 0


def test_an_unreadable_file_shows_where_and_stores_nothing(client, batch, sign_in, db):
    sign_in(batch.operator_email)
    response = post_file(
        client, batch, trend_csv(rows=5).replace(b",36.3,", b",x,"), time_column="时间", tags=TAG_LINES
    )
    assert response.status_code == 422
    assert "第 5 行" in response.get_data(as_text=True)
    assert db.query(ProcessDataSet).count() == 0


def test_a_malformed_tag_line_is_shown_on_the_form(client, batch, sign_in):
    sign_in(batch.operator_email)
    response = post_file(client, batch, trend_csv(), time_column="时间", tags="TIC101")
    assert response.status_code == 422
    assert "列 | 名称 | 单位" in response.get_data(as_text=True)


def test_the_customer_sees_the_charts_chooses_a_tag_and_a_range_and_cannot_upload(client, batch, sign_in):
    imported(client, batch, trend_csv(rows=400))
    sign_in(batch.customer_email)
    start = (local(0, 0) + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    end = (local(0, 0) + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.get(f"/bookings/{batch.id}/batch", query_string={"tag": "pH", "start": start, "end": end})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<figure") == 1 and "pH" in page and "温度 (°C)" not in page.split("<figure")[1]
    assert "process-data" not in page  # no upload form for customers
    assert post_file(client, batch, trend_csv()).status_code == 403


def test_a_booking_page_links_its_running_batch(client, batch, sign_in):
    sign_in(batch.customer_email)
    assert f"/bookings/{batch.id}/batch" in client.get(f"/bookings/{batch.id}").get_data(as_text=True)
