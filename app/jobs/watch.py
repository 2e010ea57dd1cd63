"""Heartbeats of running jobs, and what happens to jobs whose worker stopped beating (e.g. killed -9)."""

from datetime import timedelta

from sqlalchemy import Engine, select, update

from app.jobs.context import intent
from app.jobs.registry import KINDS
from app.models import Job, JobState
from app.platform.clock import system_clock

MAX_ATTEMPTS = 3  # a retry-safe job is started at most this many times


def beat(engine: Engine, job_ids: set[int]) -> None:
    """This worker is alive and still running these jobs."""
    if job_ids:
        with intent(True), engine.begin() as conn:
            conn.execute(
                update(Job)
                .where(Job.id.in_(job_ids), Job.state == JobState.RUNNING)
                .values(heartbeat_at=system_clock())
            )


def sweep_stale(engine: Engine, stale_after_s: float) -> list[int]:
    """Running jobs whose heartbeat is older than `stale_after_s`: queued again when their kind is safe to
    retry (and they have attempts left), failed with a message otherwise. Gives the ids queued again."""
    limit = system_clock() - timedelta(seconds=stale_after_s)
    with intent(False), engine.connect() as conn:  # most rounds find nothing: no write lock for that
        stale = conn.execute(
            select(Job.id, Job.kind, Job.attempts, Job.worker, Job.heartbeat_at).where(
                Job.state == JobState.RUNNING, Job.heartbeat_at < limit
            )
        ).all()
    if not stale:
        return []
    again = []
    with intent(True), engine.begin() as conn:
        for job_id, kind, attempts, worker, seen in stale:
            retry = kind in KINDS and KINDS[kind].retry and attempts < MAX_ATTEMPTS
            same = update(Job).where(Job.id == job_id, Job.state == JobState.RUNNING, Job.heartbeat_at == seen)
            values = (
                {"state": JobState.QUEUED, "progress": 0.0, "phase": ""}
                if retry
                else {
                    "state": JobState.FAILED,
                    "finished_at": system_clock(),
                    "error": f"执行该任务的工作进程（{worker}）中途停止，任务未完成，请重新发起",
                }
            )
            if conn.execute(same.values(**values)).rowcount and retry:
                again.append(job_id)
    return again


def unsent(engine: Engine, waiting_s: float, in_queue: set[int]) -> list[int]:
    """Jobs queued for longer than `waiting_s` whose message the queue does not hold (the process that
    committed them died before handing them over, or the queue lost them): to be sent again."""
    limit = system_clock() - timedelta(seconds=waiting_s)
    with intent(False), engine.connect() as conn:
        waiting = conn.scalars(select(Job.id).where(Job.state == JobState.QUEUED, Job.created_at < limit)).all()
    return [job_id for job_id in waiting if job_id not in in_queue]
