"""Job-queue benchmark: enqueue-to-start latency on an idle worker (p50/p95 over 50 jobs, one at a time) and
throughput (50 jobs queued at once, one worker thread), on the embedded storage (Huey on SQLite) and on Redis.

    python -m bench.jobs                 # both storages (Redis where 127.0.0.1:6379 answers)
    python -m bench.jobs sqlite          # one storage

A job's start is its `started_at` (set by the worker when it claims the job); its enqueue is the moment the
request's transaction commits (`enqueue` hands it to the queue at the commit). The app database is SQLite.
The jobs do nothing, so the figures are the queue's own cost. Target: p95 ≤ 200 ms on both storages.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.jobs import enqueue, register
from app.jobs.context import intent
from app.models import Job, JobState, Role, User
from app.platform.config import PROJECT_ROOT
from app.platform.db import db_session
from app.services.access.accounts import create_user
from bench.databases import throwaway_database

JOBS = 50
TARGET_P95_MS = 200
REDIS_URL = "redis://127.0.0.1:6379/0"


@register("bench.nothing", (Role.ADMIN,), title="Nothing")
def nothing(ctx, params):
    return {}


def make_app():
    """The worker's app (`flask --app 'bench.jobs:make_app()' worker`): the app, knowing the bench's kind."""
    return create_app()


def _migrated(env: dict):
    app = create_app({**env, "SECRET_KEY": "bench"})
    with app.app_context():
        from alembic import command

        from app.ops.cli import alembic_config

        command.upgrade(alembic_config(), "head")
        session = db_session()
        create_user(session, None, "bench@plant.example.com", "admin", "bench-2026x")
        session.commit()
    return app


def _enqueue(app, count: int) -> list[tuple[int, float]]:
    """Queue `count` jobs, one transaction each; their ids and commit times (epoch seconds)."""
    queued = []
    with app.app_context():
        session = db_session()
        user = session.scalars(select(User)).one()
        for _ in range(count):
            job = enqueue(session, user, "bench.nothing", {})
            session.commit()
            queued.append((job.id, time.time()))
    return queued


def _wait_done(app, job_ids: list[int]) -> list[Job]:
    """Poll (reading without SQLite's write lock, as a GET does) until the jobs have succeeded."""
    with app.app_context(), intent(False):
        session = db_session()
        while True:
            jobs = list(session.scalars(select(Job).where(Job.id.in_(job_ids))))
            session.rollback()
            if all(job.state is JobState.SUCCEEDED for job in jobs):
                return jobs
            time.sleep(0.02)


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def measure(storage: str) -> dict:
    queue_url = REDIS_URL if storage == "redis" else None
    with tempfile.TemporaryDirectory() as tmp, throwaway_database("sqlite", Path(tmp)) as url:
        env = {
            "DATABASE_URL": url,
            "JOB_QUEUE_URL": queue_url or f"sqlite:///{Path(tmp) / 'queue.sqlite'}",
            "JOB_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}",
        }
        app = _migrated(env)
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "bench.jobs:make_app()", "worker"],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env, "SECRET_KEY": "bench"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_done(app, [_enqueue(app, 1)[0][0]])  # the worker is up and warm
            latencies = []
            for _ in range(JOBS):  # one at a time, each on an idle worker
                [(job_id, committed)] = _enqueue(app, 1)
                [job] = _wait_done(app, [job_id])
                latencies.append((job.started_at.timestamp() - committed) * 1000)
            begun = time.perf_counter()
            burst = _enqueue(app, JOBS)
            _wait_done(app, [job_id for job_id, _ in burst])
            elapsed = time.perf_counter() - begun
        finally:
            worker.terminate()
            worker.wait()
            app.extensions["engine"].dispose()
    return {
        "storage": storage,
        "p50_ms": statistics.median(latencies),
        "p95_ms": _percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "throughput_per_s": JOBS / elapsed,
    }


def redis_answers() -> bool:
    from redis import Redis, RedisError

    try:
        return Redis.from_url(REDIS_URL, socket_timeout=0.5).ping()
    except (OSError, RedisError):
        return False


def main(storages: list[str]) -> None:
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for storage in storages:
        if storage == "redis" and not redis_answers():
            print("redis: nothing answers on 127.0.0.1:6379, skipped")
            continue
        r = measure(storage)
        verdict = "meets" if r["p95_ms"] <= TARGET_P95_MS else "MISSES"
        print(
            f"{storage:6} enqueue→start p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms"
            f"  ({verdict} p95 ≤ {TARGET_P95_MS} ms);  {JOBS} queued at once: {r['throughput_per_s']:5.1f} jobs/s"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["sqlite", "redis"])
