"""Importing a batch's trend export as a background job: progress while reading, its summary as the result."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.jobs import JobContext, enqueue, register
from app.jobs.context import intent
from app.models import Booking, Job, ProcessUpload, User
from app.platform.context import current_context
from app.platform.errors import DomainError
from app.services.access.policy import OPERATORS
from app.services.batch import process_data
from app.services.batch.trend_files import Mapping

KIND = "process_data.import"


@register(KIND, OPERATORS, title=_l("Process data import"), result_template="batch/_import_result.html")
def import_process_data(ctx: JobContext, params: dict) -> dict:
    """Read, check and store the upload; an unreadable one fails the job with the line and column, and is removed."""
    upload_id = params["upload_id"]
    upload = ctx.session.get(ProcessUpload, upload_id)
    try:
        data_set = process_data.import_upload(
            ctx.session,
            upload,
            current_context().now(),
            lambda fraction: ctx.progress(fraction, "读取与压缩"),
            ctx.writing,
        )
    except DomainError:
        with intent(True), ctx.engine.begin() as conn:
            process_data.discard_upload(conn, upload_id)
        raise
    return {**process_data.import_summary(data_set, current_context().tz), "booking_id": params["booking_id"]}


def start_import(
    session: Session, actor: User, booking: Booking, data: bytes, filename: str, mapping: Mapping | None
) -> Job:
    """Check the upload at once (a refusal stores nothing) and queue its import."""
    upload = process_data.stage_upload(session, actor, booking, data, filename, mapping)
    return enqueue(session, actor, KIND, {"upload_id": upload.id, "booking_id": booking.id}, subject=booking.reference)
