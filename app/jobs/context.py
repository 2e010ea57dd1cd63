"""What a running task sees: its parameters, its database session, progress reports and cancellation."""

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from app.models import Job, JobState
from app.platform.db import write_intent


class JobCancelled(Exception):
    """Raised by `JobContext.progress` when someone cancelled the job; the runner marks it cancelled."""


@dataclass
class ResultFile:
    data: bytes
    name: str
    content_type: str


@contextmanager
def intent(writes: bool):
    """Transactions begun inside say whether they may write (SQLite takes the write lock at BEGIN)."""
    token = write_intent.set(writes)
    try:
        yield
    finally:
        write_intent.reset(token)


class JobContext:
    """Handed to a task function with its parameters.

    `session` reads what the task needs. A task that changes rows calls `writing()` first (after its last
    `progress`): its changes are then committed in one transaction with the job's success, so a job killed
    mid-way left nothing behind and a retried one does its effect once."""

    def __init__(self, engine: Engine, session: Session, job: Job):
        self.engine, self.session, self.job_id = engine, session, job.id
        self.attempt = job.attempts  # 1 on the first run; more when a job safe to retry is run again
        self.file: ResultFile | None = None
        self.writes = False

    def progress(self, fraction: float, phase: str | None = None) -> None:
        """Report how far the work got (0..1) and what it is doing; raises JobCancelled if cancelled."""
        values = {"progress": min(max(float(fraction), 0.0), 1.0)}
        if phase is not None:
            values["phase"] = phase[:200]
        with intent(True), self.engine.begin() as conn:
            changed = conn.execute(
                update(Job)
                .where(Job.id == self.job_id, Job.state == JobState.RUNNING, Job.cancel_requested.is_(False))
                .values(**values)
            ).rowcount
        if not changed:
            raise JobCancelled()

    def attach(self, data: bytes, name: str, content_type: str) -> None:
        """The job's result file (kept in the database with the job, so backups hold it)."""
        self.file = ResultFile(data, name, content_type)

    def writing(self) -> None:
        """From here on the task's session may write: on SQLite it takes the write lock at its next statement."""
        self.session.rollback()
        self.writes = True
        write_intent.set(True)
