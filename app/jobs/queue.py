"""The queue: Huey on SQLite (embedded default), on Redis (workers on several hosts), or immediate (tests)."""

from dataclasses import dataclass

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.jobs import runner

IMMEDIATE = "immediate"  # JOB_QUEUE_URL for tests: a job runs in the process that commits it, at the commit


@dataclass(frozen=True)
class Queue:
    huey: Huey
    run_job: TaskWrapper

    def send(self, job_id: int) -> None:
        self.run_job(job_id)

    def waiting(self) -> set[int]:
        """The ids of the jobs whose messages wait in the queue."""
        return {task.args[0] for task in self.huey.pending()}


def make_huey(url: str, name: str) -> Huey:
    """The Huey of JOB_QUEUE_URL: `redis://…`, `sqlite:///FILE`, or `immediate`."""
    if url == IMMEDIATE:
        return MemoryHuey(name, results=False, immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    if url.startswith("sqlite:///"):
        return SqliteHuey(name, filename=url.removeprefix("sqlite:///"), results=False)
    raise ValueError(f"JOB_QUEUE_URL must be redis://…, sqlite:///FILE or {IMMEDIATE}, not {url!r}")


def init_jobs(app: Flask) -> None:
    """Give the app its queue, whose one Huey task runs a job of any kind by its id."""
    huey = make_huey(app.config["JOB_QUEUE_URL"], app.config["JOB_QUEUE_NAME"])

    @huey.task(name="pilot.run_job")
    def run_job(job_id: int) -> None:
        runner.run(app, job_id)

    app.extensions["jobs"] = Queue(huey, run_job)


def send_after_commit(session: Session, queue: Queue, job_id: int) -> None:
    """Hand the job to the queue once the transaction that recorded it has committed (never before)."""
    session.info.setdefault("jobs_to_send", []).append((queue, job_id))


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    for queue, job_id in session.info.pop("jobs_to_send", []):
        queue.send(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("jobs_to_send", None)
