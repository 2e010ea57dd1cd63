"""A job's page: phase, percentage, elapsed time and estimate while it runs (it refreshes itself), then its result."""

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.jobs import cancel, visible_job
from app.jobs.registry import kind_of
from app.jobs.responses import file_response
from app.models import Job, JobState
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import Conflict, NotFound
from app.web.auth import allowed

bp = Blueprint("jobs", __name__)

REFRESH_S = 2
STATE_NAMES = {
    JobState.QUEUED: _l("Waiting for a worker"),
    JobState.RUNNING: _l("Running"),
    JobState.SUCCEEDED: _l("Done"),
    JobState.FAILED: _l("Failed"),
    JobState.CANCELLED: _l("Cancelled"),
}
ESTIMATE_FROM = 0.02  # below this fraction done, a guess at the time left says nothing


def elapsed(job: Job, now: datetime) -> timedelta:
    """Time since the job started (or, still queued, since it was asked for), until it ended."""
    return (job.finished_at or now) - (job.started_at or job.created_at)


def time_left(job: Job, now: datetime) -> timedelta | None:
    """The rest, at the pace so far, where the work reports how far it got."""
    if job.state is not JobState.RUNNING or job.progress < ESTIMATE_FROM:
        return None
    return elapsed(job, now) * ((1 - job.progress) / job.progress)


@bp.get("/jobs/<int:job_id>")
@allowed("job.follow")
def show(job_id: int):
    job = visible_job(db_session(), current_user, job_id)
    now = current_context().now()
    return render_template(
        "jobs/show.html",
        job=job,
        kind=kind_of(job.kind),
        state_name=STATE_NAMES[job.state],
        percent=round(job.progress * 100),
        elapsed=elapsed(job, now),
        left=time_left(job, now),
        refresh_s=REFRESH_S,
    )


@bp.get("/jobs/<int:job_id>/file")
@allowed("job.follow")
def file(job_id: int):
    job = visible_job(db_session(), current_user, job_id)
    if job.result_file is None:
        raise NotFound("该任务没有结果文件")
    return file_response(job)


@bp.post("/jobs/<int:job_id>/cancel")
@allowed("job.follow")
def cancel_job(job_id: int):
    session = db_session()
    try:
        cancel(session, current_user, job_id)
    except Conflict as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Cancelling: the job stops at its next check."), "success")
    return redirect(url_for("jobs.show", job_id=job_id))
