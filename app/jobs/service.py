"""Starting, finding and cancelling jobs (services: they never commit)."""

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.jobs.queue import send_after_commit
from app.jobs.registry import KINDS, kind_of
from app.models import Job, JobState, User
from app.platform.context import current_context
from app.platform.errors import Conflict, NotFound
from app.services import audit
from app.services.rows import by_id


def enqueue(session: Session, actor: User | None, kind: str, params: dict, subject: str = "") -> Job:
    """Record a queued job of a registered kind; the queue gets it when this transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"no task registered for job kind {kind!r}")
    job = Job(
        kind=kind,
        requested_by=actor.id if actor is not None else None,
        parameters=params,
        subject=subject,
        state=JobState.QUEUED,
        progress=0.0,
        phase="",
    )
    session.add(job)
    session.flush()
    audit.record(session, actor, "job.queued", "job", job.id, kind=kind, subject=subject)
    send_after_commit(session, current_app.extensions["jobs"], job.id)
    return job


def may_see(user: User, job: Job) -> bool:
    return job.requested_by == user.id or user.role in kind_of(job.kind).who_may_see


def visible_job(session: Session, user: User, job_id: int) -> Job:
    """The job, if the user started it or is staff of its kind; otherwise NotFound (never a hint it exists)."""
    job = by_id(session, Job, job_id)
    if job is None or job.kind not in KINDS or not may_see(user, job):
        raise NotFound(f"任务 {job_id} 不存在")
    return job


def latest_job(session: Session, kind: str, subject: str) -> Job | None:
    """The newest job of `kind` about `subject`."""
    return session.scalars(
        select(Job).where(Job.kind == kind, Job.subject == subject).order_by(Job.id.desc()).limit(1)
    ).first()


def cancel(session: Session, user: User, job_id: int) -> Job:
    """A queued job ends now; a running one is asked to stop and ends cancelled when its task notices."""
    job = visible_job(session, user, job_id)
    now = current_context().now()
    ended = session.execute(
        update(Job)
        .where(Job.id == job.id, Job.state == JobState.QUEUED)
        .values(state=JobState.CANCELLED, finished_at=now)
    ).rowcount
    asked = (
        ended
        or session.execute(
            update(Job).where(Job.id == job.id, Job.state == JobState.RUNNING).values(cancel_requested=True)
        ).rowcount
    )
    if not asked:
        raise Conflict("任务已结束，无法取消")
    audit.record(session, user, "job.cancelled", "job", job.id, kind=job.kind)
    session.refresh(job)
    return job


def mark_applied(session: Session, user: User, job: Job) -> None:
    """Record that the job's result was applied; a second time is refused (applied at most once)."""
    now = current_context().now()
    if job.state is not JobState.SUCCEEDED:
        raise Conflict("任务尚未成功完成，没有可应用的结果")
    if not session.execute(
        update(Job).where(Job.id == job.id, Job.applied_at.is_(None)).values(applied_at=now)
    ).rowcount:
        raise Conflict("该任务的结果已经应用过，不会重复应用")
    audit.record(session, user, "job.applied", "job", job.id, kind=job.kind)
