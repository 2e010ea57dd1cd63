"""A batch's process data: importing a control-system export as a new version, and reading tags and time ranges
back (only the chunks that overlap the range are read)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session

from app.models import (
    Booking,
    Equipment,
    ProcessChunk,
    ProcessDataSet,
    ProcessTag,
    ProcessUpload,
    Stage,
    TagMapping,
    User,
)
from app.platform import trend_codec
from app.platform.errors import Conflict, ValidationFailed
from app.platform.timefmt import iso_local
from app.services import audit
from app.services.batch.downsample import min_max
from app.services.batch.trend_files import Mapping, Series, Trends, read_trends
from app.services.booking.bookings import locked
from app.services.booking.lifecycle import RAN

DEFAULT_MAX_POINTS = 1000
CHECKED_ROWS = 1000  # read at upload, so that most unreadable files are refused at once


def moment(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


def millis(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def main_vessel(booking: Booking) -> Equipment:
    """The vessel the batch runs on (its main stage)."""
    for allocation in booking.allocations:
        if allocation.active and allocation.stage == Stage.MAIN:
            return allocation.equipment
    raise Conflict("预约没有安排到发酵罐上，不能导入过程数据")


def batch_window(booking: Booking) -> tuple[datetime, datetime]:
    """When the batch ran: its actual times where recorded, its planned main stage otherwise."""
    main = next(a for a in booking.allocations if a.active and a.stage == Stage.MAIN)
    return booking.actual_start or main.start, booking.actual_end or main.end


def saved_mapping(session: Session, equipment: Equipment) -> Mapping | None:
    row = session.get(TagMapping, equipment.id)
    return Mapping.from_json(json.loads(row.mapping)) if row is not None else None


def _save_mapping(session: Session, equipment_id: int, mapping: Mapping, now: datetime) -> None:
    row = session.get(TagMapping, equipment_id) or TagMapping(equipment_id=equipment_id)
    row.mapping, row.updated_at = json.dumps(mapping.as_json(), ensure_ascii=False), now
    session.add(row)


def stage_upload(
    session: Session, actor: User, booking: Booking, data: bytes, filename: str, mapping: Mapping | None
) -> ProcessUpload:
    """Check what can be checked at once (the batch, the mapping, the file's first rows and times) and keep the
    upload for its import job; a refusal stores nothing."""
    if booking.status not in RAN:
        raise Conflict("批次尚未开始，不能导入过程数据")
    vessel = main_vessel(booking)
    chosen = mapping or saved_mapping(session, vessel)
    if chosen is None:
        raise ValidationFailed(
            f"设备 {vessel.code} 还没有保存的映射：请在导入时给出映射", {"mapping": "no saved mapping for this vessel"}
        )
    _check_time_range(booking, read_trends(data, chosen, limit=CHECKED_ROWS))
    upload = ProcessUpload(
        booking_id=booking.id,
        filename=filename[:255] or "upload",
        data=data,
        mapping=json.dumps(mapping.as_json(), ensure_ascii=False) if mapping else None,
        uploaded_by_id=actor.id,
    )
    session.add(upload)
    session.flush()
    return upload


def import_upload(
    session: Session,
    upload: ProcessUpload,
    now: datetime,
    progress: Callable[[float], None],
    before_writing: Callable[[], None],
) -> ProcessDataSet:
    """Read the whole upload and store it as the batch's next version (the upload is removed); `before_writing`
    is called once everything is read and encoded, before the first write."""
    booking, actor = session.get(Booking, upload.booking_id), session.get(User, upload.uploaded_by_id)
    vessel = main_vessel(booking)
    given = Mapping.from_json(json.loads(upload.mapping)) if upload.mapping else None
    chosen = given or saved_mapping(session, vessel)
    trends = read_trends(upload.data, chosen, lambda fraction: progress(0.6 * fraction))
    _check_time_range(booking, trends)
    encoded = []
    for done, series in enumerate(trends.series, start=1):
        encoded.append((series, trend_codec.chunked(series.times, series.values)))
        progress(0.3 + 0.6 * done / len(trends.series))
    filename, upload_id = upload.filename, upload.id
    before_writing()
    data_set = _store(session, actor, session.get(Booking, booking.id), vessel.id, trends.rows, encoded, filename, now)
    if given is not None:
        _save_mapping(session, vessel.id, given, now)
    session.execute(delete(ProcessUpload).where(ProcessUpload.id == upload_id))
    audit.record(
        session,
        actor,
        "process_data_imported",
        "booking",
        booking.id,
        version=data_set.version,
        filename=filename,
        rows=trends.rows,
        tags=[s.name for s in trends.series],
        duplicates=trends.duplicates,
        mapping_saved=given is not None,
    )
    return data_set


def _check_time_range(booking: Booking, trends: Trends) -> None:
    start, end = batch_window(booking)
    margin = timedelta(days=1)
    if moment(trends.end_ms) < start - margin or moment(trends.start_ms) > end + margin:
        raise ValidationFailed(
            f"文件的时间范围（{moment(trends.start_ms):%Y-%m-%d %H:%M} – {moment(trends.end_ms):%Y-%m-%d %H:%M} UTC）"
            f"与本批次的运行时间不重叠：这个文件可能来自另一批次或另一台设备",
            {"file": "times outside the batch"},
        )


def _store(
    session: Session,
    actor: User,
    booking: Booking,
    vessel_id: int,
    rows: int,
    encoded: list[tuple[Series, list[trend_codec.Chunk]]],
    filename: str,
    now: datetime,
) -> ProcessDataSet:
    locked(session, booking)
    version = (
        session.scalar(select(func.max(ProcessDataSet.version)).where(ProcessDataSet.booking_id == booking.id)) or 0
    ) + 1
    data_set = ProcessDataSet(
        booking_id=booking.id,
        version=version,
        equipment_id=vessel_id,
        filename=filename,
        rows=rows,
        start=moment(min(int(s.times[0]) for s, _ in encoded)),
        end=moment(max(int(s.times[-1]) for s, _ in encoded)),
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    session.add(data_set)
    for series, chunks in encoded:
        tag = ProcessTag(
            name=series.name,
            unit=series.unit,
            points=len(series.times),
            stored_bytes=sum(len(c.times) + len(c.values) for c in chunks),
        )
        data_set.tags.append(tag)
        session.flush()
        session.execute(
            insert(ProcessChunk),
            [
                {
                    "tag_id": tag.id,
                    "first_at": moment(c.first_ms),
                    "last_at": moment(c.last_ms),
                    "count": c.count,
                    "times": c.times,
                    "values": c.values,
                }
                for c in chunks
            ],
        )
    return data_set


def discard_upload(connection: Connection, upload_id: int) -> None:
    """Remove an upload whose import failed (in a transaction of its own): nothing of the file stays."""
    connection.execute(delete(ProcessUpload).where(ProcessUpload.id == upload_id))


def latest(session: Session, booking: Booking) -> ProcessDataSet | None:
    return session.scalar(
        select(ProcessDataSet)
        .where(ProcessDataSet.booking_id == booking.id)
        .order_by(ProcessDataSet.version.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class TagSeries:
    tag: str
    unit: str
    times: np.ndarray  # int64 ms
    values: np.ndarray


def read_series(
    session: Session,
    booking: Booking,
    tags: list[str] | None,
    start: datetime | None,
    end: datetime | None,
    max_points: int | None = DEFAULT_MAX_POINTS,
) -> list[TagSeries]:
    """The newest version's tags (all, or those named) in [start, end), at most `max_points` each (min/max kept)."""
    data_set = latest(session, booking)
    if data_set is None:
        return []
    chosen = [t for t in data_set.tags if tags is None or t.name in tags]
    unknown = set(tags or ()) - {t.name for t in data_set.tags}
    if unknown:
        raise ValidationFailed("没有这些位号：" + "、".join(sorted(unknown)), {"tags": "unknown tag"})
    start = start or data_set.start
    end = end or data_set.end + timedelta(milliseconds=1)
    if end <= start:
        raise ValidationFailed("结束时间须晚于开始时间", {"end": "must be after start"})
    return [_tag_series(session, tag, start, end, max_points) for tag in chosen]


def _tag_series(session: Session, tag: ProcessTag, start: datetime, end: datetime, max_points: int | None) -> TagSeries:
    rows = session.execute(
        select(ProcessChunk.times, ProcessChunk.values, ProcessChunk.count)
        .where(ProcessChunk.tag_id == tag.id, ProcessChunk.last_at >= start, ProcessChunk.first_at < end)
        .order_by(ProcessChunk.first_at)
    ).all()
    decoded = [trend_codec.decode(*row) for row in rows]
    times = np.concatenate([d[0] for d in decoded]) if decoded else np.empty(0, np.int64)
    values = np.concatenate([d[1] for d in decoded]) if decoded else np.empty(0)
    low, high = millis(start), millis(end)
    keep = (
        min_max(times, values, max_points, low, high) if max_points else np.flatnonzero((times >= low) & (times < high))
    )
    return TagSeries(tag.name, tag.unit, times[keep], values[keep])


def import_summary(data_set: ProcessDataSet, tz: ZoneInfo) -> dict:
    """What the import job answers: the tags stored, the time span and the rows read."""
    return {
        "version": data_set.version,
        "rows": data_set.rows,
        "start": iso_local(data_set.start, tz),
        "end": iso_local(data_set.end, tz),
        "tags": [{"name": t.name, "unit": t.unit, "points": t.points} for t in data_set.tags],
    }
