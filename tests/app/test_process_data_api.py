"""Operators import a batch's trend export through the API; the operator and the batch's customer read tags and
time ranges back, downsampled with each bucket's extremes kept; another company sees nothing."""

from datetime import timedelta

from app.models import AuditEntry, ProcessChunk, ProcessDataSet, ProcessUpload, TagMapping
from tests.app.booking_data import local, request_body
from tests.app.process_data_fixtures import batch, imported, trend_csv, upload  # noqa: F401  (batch is a fixture)


def test_an_operator_imports_an_export_as_a_job_and_the_mapping_is_saved_for_the_vessel(client, batch, db):
    job = imported(client, batch, trend_csv(rows=30))
    assert (job["kind"], job["state"], job["progress"]) == ("process_data.import", "succeeded", 1.0)
    body = job["result"]
    assert body["rows"] == 30 and body["version"] == 1
    assert body["tags"] == [{"name": "温度", "unit": "°C", "points": 30}, {"name": "pH", "unit": "", "points": 30}]
    assert body["start"] == local(0, 0).isoformat()
    assert body["end"] == (local(0, 0) + timedelta(seconds=290)).isoformat()
    assert db.query(TagMapping).count() == 1 and db.query(ProcessUpload).count() == 0
    assert db.query(AuditEntry).filter_by(action="process_data_imported").count() == 1


def test_the_next_upload_of_the_vessel_needs_no_mapping_and_is_a_new_version(client, batch):
    imported(client, batch, trend_csv(rows=30))
    assert imported(client, batch, trend_csv(rows=12), mapping=None)["result"]["version"] == 2
    series = client.get(f"/api/v1/bookings/{batch.id}/process-data", headers=batch.customer).get_json()["series"]
    assert [len(s["points"]) for s in series] == [12, 12]


def test_without_a_saved_mapping_the_upload_asks_for_one(client, batch):
    response = upload(client, batch, trend_csv(), mapping=None)
    assert response.status_code == 422
    assert "mapping" in response.get_json()["fields"]


def test_an_unreadable_file_names_line_and_column_and_stores_nothing(client, batch, db):
    data = trend_csv(rows=5).replace(b",36.3,", b",36..3,")
    response = upload(client, batch, data)
    assert response.status_code == 422
    assert "第 5 行" in response.get_json()["error"] and "TIC101" in response.get_json()["error"]
    assert db.query(ProcessDataSet).count() == 0 and db.query(TagMapping).count() == 0
    assert db.query(ProcessUpload).count() == 0


def test_a_bad_cell_deep_in_a_long_file_fails_the_job_naming_it_and_stores_nothing(client, batch, db):
    lines = trend_csv(rows=3000).split(b"\n")
    lines[2500] = lines[2500].rsplit(b",", 1)[0] + b",n/a"
    job = imported(client, batch, b"\n".join(lines))
    assert job["state"] == "failed"
    assert "第 2501 行" in job["error"] and "AIC102" in job["error"]
    assert db.query(ProcessDataSet).count() == 0 and db.query(ProcessUpload).count() == 0
    assert db.query(TagMapping).count() == 0


def test_a_file_from_another_time_is_refused_as_not_this_batch(client, batch, db):
    old = trend_csv().replace(str(local(0, 0).year).encode(), b"2019")
    response = upload(client, batch, old)
    assert response.status_code == 422
    assert "另一批次" in response.get_json()["error"]
    assert db.query(ProcessChunk).count() == 0


def test_reading_back_keeps_a_spike_however_few_points_are_asked(client, batch):
    imported(client, batch, trend_csv(rows=2000, spike_at=1234))
    response = client.get(
        f"/api/v1/bookings/{batch.id}/process-data",
        headers=batch.customer,
        query_string={"tags": "温度", "max_points": 20},
    )
    assert response.status_code == 200
    [series] = response.get_json()["series"]
    assert series["tag"] == "温度" and series["unit"] == "°C"
    assert len(series["points"]) <= 20
    assert max(value for _, value in series["points"]) == 99.0


def test_a_time_range_reads_only_that_range(client, batch):
    imported(client, batch, trend_csv(rows=100))
    start, end = local(0, 0) + timedelta(seconds=200), local(0, 0) + timedelta(seconds=300)
    response = client.get(
        f"/api/v1/bookings/{batch.id}/process-data",
        headers=batch.operator,
        query_string={"tags": "pH", "start": start.isoformat(), "end": end.isoformat()},
    )
    [series] = response.get_json()["series"]
    assert [t for t, _ in series["points"]] == [(start + timedelta(seconds=10 * i)).isoformat() for i in range(10)]


def test_an_unknown_tag_or_a_backwards_range_is_refused(client, batch):
    imported(client, batch, trend_csv())
    url = f"/api/v1/bookings/{batch.id}/process-data"
    assert client.get(url, headers=batch.operator, query_string={"tags": "nope"}).status_code == 422
    backwards = {"start": local(0, 1).isoformat(), "end": local(0, 0).isoformat()}
    assert client.get(url, headers=batch.operator, query_string=backwards).status_code == 422


def test_a_batch_not_yet_running_takes_no_process_data(client, batch, make_company, token_for):
    customer = token_for(make_company()[1])
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    response = client.post(
        f"/api/v1/bookings/{booking['id']}/process-data",
        headers=batch.operator,
        data={"mapping": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422  # no file
    other = type(batch)(booking["id"], batch.operator, customer)
    assert upload(client, other, trend_csv()).status_code == 409


def test_customers_cannot_import_and_another_company_cannot_read(client, batch, make_company, token_for):
    imported(client, batch, trend_csv())
    assert upload(client, batch, trend_csv(), headers=batch.customer).status_code == 403
    stranger = token_for(make_company()[1])
    assert client.get(f"/api/v1/bookings/{batch.id}/process-data", headers=stranger).status_code == 404
