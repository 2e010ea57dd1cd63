"""Jobs as people see them: state, progress and result through the API and the job page, only to whoever
started them and the staff of their kind; failures with a message; effects kept only with success."""

from datetime import UTC, datetime, timedelta

import pytest

from app.jobs import watch
from app.models import AuditEntry, Job, JobState
from tests.app import job_kinds  # noqa: F401  (registers the test kinds)
from tests.app.jobs_helpers import queued_job, start_job, user_id


@pytest.fixture
def customer(make_company):
    return make_company()[1]


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def test_a_finished_job_answers_its_state_progress_and_result(app, client, customer, token_for):
    job_id = start_job(app, customer, "test.count", {"steps": 3})
    answer = client.get(f"/api/v1/jobs/{job_id}", headers=token_for(customer))
    assert answer.status_code == 200
    body = answer.get_json()
    assert {k: body[k] for k in ("id", "kind", "state", "progress", "error")} == {
        "id": job_id,
        "kind": "test.count",
        "state": "succeeded",
        "progress": 1.0,
        "error": None,
    }
    assert body["result"]["counted"] == 3 and body["phase"] == "step 2"


@pytest.mark.parametrize("role, sees", [("admin", True), ("operator", False), ("finance", False)])
def test_staff_see_the_jobs_of_their_kind_only(app, client, customer, make_user, token_for, role, sees):
    job_id = start_job(app, customer, "test.count", {"steps": 1})
    answer = client.get(f"/api/v1/jobs/{job_id}", headers=token_for(make_user(role)))
    assert answer.status_code == (200 if sees else 404)


def test_another_customer_does_not_learn_that_a_job_exists(app, client, customer, make_company, token_for):
    job_id = start_job(app, customer, "test.count", {"steps": 1})
    other = token_for(make_company()[1])
    assert client.get(f"/api/v1/jobs/{job_id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id + 1}", headers=other).status_code == 404
    assert client.post(f"/api/v1/jobs/{job_id}/cancel", headers=other).status_code == 404


def test_a_refused_job_fails_with_the_services_message(app, client, customer, token_for):
    job_id = start_job(app, customer, "test.refused", {})
    body = client.get(f"/api/v1/jobs/{job_id}", headers=token_for(customer)).get_json()
    assert (body["state"], body["error"], body["result"]) == ("failed", "无法完成：测试拒绝", None)


def test_a_broken_job_fails_with_a_message_that_names_no_internals(app, client, customer, token_for):
    job_id = start_job(app, customer, "test.broken", {})
    body = client.get(f"/api/v1/jobs/{job_id}", headers=token_for(customer)).get_json()
    assert body["state"] == "failed" and "ZeroDivisionError" in body["error"] and "Traceback" not in body["error"]


def test_a_jobs_writes_are_kept_with_its_success_and_dropped_with_its_failure(app, customer, db):
    kept = start_job(app, customer, "test.effect", {})
    dropped = start_job(app, customer, "test.effect", {"fail_after_writing": True})
    assert db.query(AuditEntry).filter_by(action="test.effect").one().entity_id == str(kept)
    assert db.get(Job, dropped).state is JobState.FAILED


def test_the_page_of_unfinished_work_refreshes_itself_with_the_percentage_and_an_estimate(
    client, customer, sign_in, db
):
    started = datetime.now(UTC) - timedelta(minutes=1)
    job = queued_job(
        db,
        user_id(db, customer),
        state=JobState.RUNNING,
        progress=0.25,
        phase="求解中",
        started_at=started,
        heartbeat_at=started,
    )
    sign_in(customer)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="25"' in page and "25 %" in page and "求解中" in page
    assert "预计还需约 3分钟" in page and "已用时 1分钟" in page


def test_the_page_of_finished_work_stops_refreshing_and_offers_its_file(app, client, customer, sign_in, db):
    job = queued_job(
        db,
        user_id(db, customer),
        state=JobState.SUCCEEDED,
        progress=1.0,
        result={},
        result_file=b"a,b\n",
        result_file_name="rows.csv",
        result_file_type="text/csv",
    )
    sign_in(customer)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "http-equiv" not in page and f"/jobs/{job.id}/file" in page
    download = client.get(f"/jobs/{job.id}/file")
    assert (download.data, download.mimetype) == (b"a,b\n", "text/csv")


def test_a_queued_job_is_cancelled_at_once_and_a_finished_one_cannot_be(client, customer, token_for, db):
    job = queued_job(db, user_id(db, customer))
    headers = token_for(customer)
    assert client.post(f"/api/v1/jobs/{job.id}/cancel", headers=headers).get_json()["state"] == "cancelled"
    again = client.post(f"/api/v1/jobs/{job.id}/cancel", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"] == "任务已结束，无法取消"


def test_cancelling_a_running_job_from_its_page_asks_it_to_stop(client, customer, sign_in, db):
    job = queued_job(db, user_id(db, customer), state=JobState.RUNNING, started_at=datetime.now(UTC))
    sign_in(customer)
    page = client.post(f"/jobs/{job.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "正在取消" in page
    db.refresh(job)
    assert job.state is JobState.RUNNING and job.cancel_requested


def test_a_job_whose_worker_stopped_beating_fails_with_a_message(app, customer, db):
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    job = queued_job(
        db,
        user_id(db, customer),
        state=JobState.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        worker="host-a:123",
        attempts=1,
    )
    fresh = queued_job(
        db,
        user_id(db, customer),
        state=JobState.RUNNING,
        started_at=long_ago,
        heartbeat_at=datetime.now(UTC),
        worker="host-b:456",
        attempts=1,
    )
    assert watch.sweep_stale(app.extensions["engine"], stale_after_s=30) == []
    db.expire_all()
    assert db.get(Job, job.id).state is JobState.FAILED and "host-a:123" in db.get(Job, job.id).error
    assert db.get(Job, fresh.id).state is JobState.RUNNING


def test_a_stale_job_safe_to_retry_is_queued_again_until_its_attempts_run_out(app, customer, db):
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    first = queued_job(db, user_id(db, customer), state=JobState.RUNNING, heartbeat_at=long_ago, attempts=1)
    spent = queued_job(
        db, user_id(db, customer), state=JobState.RUNNING, heartbeat_at=long_ago, attempts=watch.MAX_ATTEMPTS
    )
    for job in (first, spent):
        job.kind = "test.retried"
    db.commit()
    assert watch.sweep_stale(app.extensions["engine"], stale_after_s=30) == [first.id]
    db.expire_all()
    assert db.get(Job, first.id).state is JobState.QUEUED and db.get(Job, spent.id).state is JobState.FAILED
