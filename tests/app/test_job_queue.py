"""The queue for real: worker processes (`flask worker`) on the embedded SQLite storage and, where Redis
answers on 127.0.0.1:6379, on Redis; two workers take distinct jobs; a worker killed -9 leaves its job failed
with a message, or run again once when that is safe; a queued job outlives the web process that queued it."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest

from app import create_app
from app.models import AuditEntry, Job, JobState
from app.platform.config import PROJECT_ROOT
from tests.app import job_kinds  # noqa: F401  (registers the test kinds)
from tests.app.booking_data import request_body
from tests.app.jobs_helpers import queued_job, start_job, user_id
from tests.factories import PASSWORD
from tests.pdf_tools import text_of

REDIS = ("127.0.0.1", 6379)
STALE_S = 1.5
WAIT_S = 60  # the longest any wait below may take before the test fails (none should come near it)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("redis", marks=pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")),
    ]
)
def queue(request, tmp_path):
    """A queue of each storage, of its own (a fresh SQLite file; a Redis key prefix no one else uses)."""
    url = f"sqlite:///{tmp_path / 'queue.sqlite'}" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    return {"JOB_QUEUE_URL": url, "JOB_QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def web(app, database_url, queue):
    """The web app as deployed: its jobs go to the real queue (the `app` fixture empties the tables after)."""
    web = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test", **queue})
    yield web
    web.extensions["engine"].dispose()


class Workers:
    """`flask worker` processes on the test database and queue."""

    def __init__(self, database_url: str, queue: dict):
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "JOB_HEARTBEAT_S": "0.2",
            "JOB_STALE_S": str(STALE_S),
            **queue,
        }
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tests.app.job_kinds:make_app()", "worker"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running_workers(database_url, queue):
    workers = Workers(database_url, queue)
    try:
        yield workers
    finally:
        workers.stop_all()


@pytest.fixture
def workers(database_url, queue):
    with running_workers(database_url, queue) as workers:
        yield workers


@pytest.fixture
def requester(make_company):
    return make_company()[1]


def bearer(client, email: str) -> dict:
    token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def job_of(db, job_id: int) -> Job:
    db.expire_all()
    job = db.get(Job, job_id)
    db.rollback()
    return job


def wait_until(condition, what: str):
    """Poll `condition` until it holds; fail (naming `what`) after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what} after {WAIT_S} s")
        time.sleep(0.05)


def wait_for_state(db, job_id: int, *states: JobState) -> Job:
    wait_until(lambda: job_of(db, job_id).state in states, f"job {job_id} to be {states}")
    return job_of(db, job_id)


def test_a_queued_job_outlives_the_web_process_and_a_worker_started_later_runs_it(web, workers, requester, db):
    job_id = start_job(web, requester, "test.count", {"steps": 2})
    web.extensions["engine"].dispose()  # the web process goes away; the job waits in the queue's storage
    assert job_of(db, job_id).state is JobState.QUEUED
    workers.start()
    job = wait_for_state(db, job_id, JobState.SUCCEEDED)
    assert job.result["counted"] == 2 and job.attempts == 1


def test_two_workers_take_distinct_jobs_each_once(web, workers, requester, db):
    first, second = workers.start(), workers.start()
    ids = [start_job(web, requester, "test.count", {"steps": 2, "pause_s": 0.2}) for _ in range(8)]
    jobs = [wait_for_state(db, job_id, JobState.SUCCEEDED) for job_id in ids]
    assert all(job.attempts == 1 and job.result["worker"] == job.worker for job in jobs)
    assert {job.worker.split(":")[1] for job in jobs} == {str(first.pid), str(second.pid)}


def test_a_worker_killed_mid_job_leaves_the_job_failed_with_a_message(web, workers, requester, db):
    victim = workers.start()
    job_id = start_job(web, requester, "test.count", {"steps": 200, "pause_s": 0.1})
    wait_for_state(db, job_id, JobState.RUNNING)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    workers.start()  # its watch finds the job's heartbeat gone
    job = wait_for_state(db, job_id, JobState.FAILED)
    assert f":{victim.pid}" in job.error and "中途停止" in job.error


def test_a_job_safe_to_retry_runs_again_after_a_kill_and_its_effect_is_kept_once(web, workers, requester, db):
    victim = workers.start()
    job_id = start_job(web, requester, "test.effect", {"pause_s": 30})
    wait_until(lambda: job_of(db, job_id).phase == "waiting", "the job to reach its pause")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    workers.start()
    job = wait_for_state(db, job_id, JobState.SUCCEEDED)
    assert job.attempts == 2
    assert db.query(AuditEntry).filter_by(action="test.effect").count() == 1


def test_a_running_job_cancelled_by_its_requester_stops_at_its_next_check(
    web, workers, requester, client, token_for, db
):
    workers.start()
    job_id = start_job(web, requester, "test.count", {"steps": 200, "pause_s": 0.1})
    wait_for_state(db, job_id, JobState.RUNNING)
    answer = client.post(f"/api/v1/jobs/{job_id}/cancel", headers=token_for(requester))
    assert answer.status_code == 200 and answer.get_json()["state"] == "running"
    job = wait_for_state(db, job_id, JobState.CANCELLED)
    assert job.progress < 1 and job.result is None


def test_the_optimiser_answers_202_and_its_job_is_polled_until_the_proposal_is_there(
    web, workers, add_equipment, make_user, requester, db
):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    client = web.test_client()
    customer, operator = bearer(client, requester), bearer(client, make_user("operator"))
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    workers.start()
    started = client.post("/api/v1/schedule/optimize", json={"time_limit_s": 1}, headers=operator)
    assert started.status_code == 202 and started.headers["Location"] == started.get_json()["job"]["url"]
    polls = []
    wait_until(
        lambda: (
            polls.append(client.get(started.headers["Location"], headers=operator).get_json())
            or polls[-1]["state"] in ("succeeded", "failed")
        ),
        "the optimiser's job to end",
    )
    assert polls[0]["state"] in ("queued", "running", "succeeded")
    assert polls[-1]["state"] == "succeeded" and polls[-1]["result"]["status"] in ("optimal", "feasible")
    assert [m["booking_id"] for m in polls[-1]["result"]["moves"]] in ([], [booking["id"]])


def test_the_claim_pdf_answers_202_while_it_is_rendered_and_the_pdf_once_it_is(
    web, workers, books, make_company, make_user, db
):
    books.invoice(make_company()[0], date(2026, 2, 10), "1000.00")
    client = web.test_client()
    finance = bearer(client, make_user("finance"))
    number = client.post("/api/v1/subsidy/2026/claims", headers=finance).get_json()["number"]
    asked = client.get(f"/api/v1/subsidy/claims/{number}/pdf", headers=finance)
    assert asked.status_code == 202 and asked.headers["Location"] == asked.get_json()["job"]["url"]
    workers.start()
    wait_until(
        lambda: client.get(asked.headers["Location"], headers=finance).get_json()["state"] == "succeeded",
        "the claim's PDF to be rendered",
    )
    pdf = client.get(f"/api/v1/subsidy/claims/{number}/pdf", headers=finance)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and number in text_of(pdf.data)
    assert db.query(Job).count() == 1  # rendered once, when the claim was made


def test_a_job_recorded_but_never_handed_to_the_queue_is_sent_by_a_workers_watch(web, workers, requester, db):
    long_ago = datetime.now(UTC) - timedelta(seconds=10 * STALE_S)
    job = queued_job(db, user_id(db, requester), created_at=long_ago)  # as if its web process died at the commit
    workers.start()
    assert wait_for_state(db, job.id, JobState.SUCCEEDED).attempts == 1
