"""A batch's process data: importing the control system's export, reading tags and time ranges back."""

import json

from flask import jsonify, request

from app.jobs.process_import_job import start_import
from app.platform.db import db_session
from app.platform.errors import ValidationFailed
from app.platform.timefmt import as_utc
from app.services.batch import process_data
from app.services.batch.trend_files import Mapping
from app.services.booking import bookings
from app.web.api.core import current, endpoint
from app.web.api.jobs import accepted
from app.web.api.schemas import ProcessDataQuery, ProcessDataUpload
from app.web.api.times import api_time


def uploaded_mapping(text: str | None) -> Mapping | None:
    """The mapping sent with an upload (JSON text), or None to use the vessel's saved one."""
    if not text or not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationFailed("映射不是有效的 JSON", {"mapping": "invalid JSON"}) from None
    if not isinstance(data, dict):
        raise ValidationFailed("映射须为 JSON 对象", {"mapping": "expected a JSON object"})
    return Mapping.from_json(data)


def uploaded_file() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed("请上传控制系统导出的 CSV 或 XLSX 文件", {"file": "required"})
    return upload.read(), upload.filename or "upload"


@endpoint(
    "/bookings/<int:booking_id>/process-data",
    "POST",
    "Import the control system's trend export (CSV or XLSX) as the batch's next process-data version: a job "
    "whose result is the tags stored, the time span and the rows read",
    "batch.record",
    upload=ProcessDataUpload,
    status=202,
    responses={
        404: "not found",
        409: "the batch has not started or is not on a vessel",
        422: "unreadable file (line and column named) or mapping; nothing stored",
    },
)
def import_process_data(booking_id: int):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    data, filename = uploaded_file()
    job = start_import(session, current(), booking, data, filename, uploaded_mapping(request.form.get("mapping")))
    session.commit()
    return accepted(job)


@endpoint(
    "/bookings/<int:booking_id>/process-data",
    "GET",
    "The batch's process data per tag, downsampled to at most max_points (each bucket's extremes kept)",
    "batch.data",
    query=ProcessDataQuery,
    responses={404: "not found"},
)
def get_process_data(booking_id: int, query: ProcessDataQuery):
    session = db_session()
    booking = bookings.visible_booking(session, current(), booking_id)
    names = [name.strip() for name in query.tags.split(",") if name.strip()] if query.tags else None
    series = process_data.read_series(
        session, booking, names, query.start and as_utc(query.start), query.end and as_utc(query.end), query.max_points
    )
    return jsonify(
        {
            "series": [
                {
                    "tag": s.tag,
                    "unit": s.unit,
                    "points": [
                        [api_time(process_data.moment(t)), float(f"{v:.7g}")]
                        for t, v in zip(s.times.tolist(), s.values.tolist(), strict=True)
                    ],
                }
                for s in series
            ]
        }
    )
