"""Background jobs: their state and result, their file, cancelling; and the 202 answer of routes that start one."""

from flask import jsonify, url_for

from app.jobs import cancel, visible_job
from app.jobs.responses import file_response
from app.models import Job
from app.platform.db import db_session
from app.web.api.core import SIGNED_IN, current, endpoint, json_error
from app.web.api.times import api_time


def job_json(job: Job) -> dict:
    """The job as GET /api/v1/jobs/{id} gives it."""
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state.value,
        "progress": job.progress,
        "phase": job.phase,
        "result": job.result,
        "error": job.error or None,
        "file": {
            "name": job.result_file_name,
            "content_type": job.result_file_type,
            "size": len(job.result_file),
            "url": url_for("api.job_file", job_id=job.id),
        }
        if job.result_file is not None
        else None,
        "created_at": api_time(job.created_at),
        "started_at": api_time(job.started_at),
        "finished_at": api_time(job.finished_at),
        "page": url_for("jobs.show", job_id=job.id),
    }


def accepted(job: Job):
    """202 with the job to poll, for routes that start long work."""
    url = url_for("api.get_job", job_id=job.id)
    return jsonify({"job": {"id": job.id, "url": url, "state": job.state.value}}), 202, {"Location": url}


@endpoint(
    "/jobs/<int:job_id>",
    "GET",
    "A background job: state, progress, phase, result or error (poll until the state is final)",
    SIGNED_IN,
    responses={404: "no such job, or not one of yours"},
)
def get_job(job_id: int):
    return jsonify(job_json(visible_job(db_session(), current(), job_id)))


@endpoint(
    "/jobs/<int:job_id>/file",
    "GET",
    "A succeeded job's result file",
    SIGNED_IN,
    responses={404: "no such job or no file"},
    produces="application/octet-stream",
)
def job_file(job_id: int):
    job = visible_job(db_session(), current(), job_id)
    if job.result_file is None:
        return json_error(404, "该任务没有结果文件")
    return file_response(job)


@endpoint(
    "/jobs/<int:job_id>/cancel",
    "POST",
    "Cancel a job: a queued one at once, a running one when its work next checks",
    SIGNED_IN,
    responses={404: "no such job", 409: "the job has already ended"},
)
def cancel_job(job_id: int):
    session = db_session()
    job = cancel(session, current(), job_id)
    session.commit()
    return jsonify(job_json(job))
