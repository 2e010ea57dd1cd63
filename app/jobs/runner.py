"""Running one job in a worker: claim it, run its task with a context, record how it ended."""

import logging
import os
import socket

from flask import Flask, g
from sqlalchemy import update

from app.jobs.context import JobCancelled, JobContext, intent
from app.jobs.registry import kind_of
from app.models import Job, JobState
from app.platform.clock import system_clock
from app.platform.errors import DomainError

log = logging.getLogger(__name__)

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"
#: the jobs this process is running, for the heartbeat
RUNNING: set[int] = set()


def run(app: Flask, job_id: int) -> None:
    """Run the job if it is still queued (a second delivery of the same job does nothing)."""
    engine = app.extensions["engine"]
    if not _claim(engine, job_id):
        return
    RUNNING.add(job_id)
    try:
        with app.app_context():
            _execute(app, job_id)
    finally:
        RUNNING.discard(job_id)


def _claim(engine, job_id: int) -> bool:
    now = system_clock()
    with intent(True), engine.begin() as conn:
        return (
            conn.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == JobState.QUEUED)
                .values(
                    state=JobState.RUNNING,
                    started_at=now,
                    heartbeat_at=now,
                    worker=WORKER_NAME,
                    attempts=Job.attempts + 1,
                )
            ).rowcount
            == 1
        )


def _execute(app: Flask, job_id: int) -> None:
    session = app.extensions["sessionmaker"]()
    g.db_session = session  # code the task calls that asks for db_session() gets the job's session
    try:
        with intent(False):
            job = session.get(Job, job_id)
            ctx = JobContext(app.extensions["engine"], session, job)
            outcome = _outcome(ctx, job)
            if not ctx.writes:
                session.rollback()
            with intent(True):
                _finish(session, job_id, ctx, *outcome)
                session.commit()
    finally:
        session.close()


def _outcome(ctx: JobContext, job: Job) -> tuple[JobState, object, str]:
    """The state the task ended in, its result and its error message."""
    try:
        result = kind_of(job.kind).run(ctx, dict(job.parameters))
    except JobCancelled:
        return JobState.CANCELLED, None, ""
    except DomainError as error:
        return JobState.FAILED, None, error.message
    except Exception as error:  # noqa: BLE001 - any failure of the task ends the job, with a message
        log.exception("job %s (%s) failed", job.id, job.kind)
        return JobState.FAILED, None, f"任务执行出错（{type(error).__name__}），请稍后重试或联系平台管理员"
    return JobState.SUCCEEDED, result, ""


def _finish(session, job_id: int, ctx: JobContext, state: JobState, result, error: str) -> None:
    job = session.get(Job, job_id, populate_existing=True)
    if state is JobState.SUCCEEDED and job.cancel_requested:
        state = JobState.CANCELLED
    if state is not JobState.SUCCEEDED:
        session.rollback()  # the task's writes, if any, are not kept
        job = session.get(Job, job_id, populate_existing=True)
    job.state, job.error, job.finished_at = state, error, system_clock()
    if state is JobState.SUCCEEDED:
        job.result, job.progress = result, 1.0
        if ctx.file is not None:
            job.result_file, job.result_file_name = ctx.file.data, ctx.file.name
            job.result_file_type = ctx.file.content_type
