"""A job's result file as an HTTP response (job page, API, and routes that serve what a job made)."""

from flask import Response

from app.models import Job


def file_response(job: Job, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        job.result_file,
        mimetype=job.result_file_type,
        headers={"Content-Disposition": f'{disposition}; filename="{job.result_file_name}"'},
    )
