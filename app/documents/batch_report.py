"""The batch report (a Chinese PDF: the record, the charts, samples, deviations, signatures) and the customer's
data package (a ZIP of the report, the process data and the samples as CSV, and a manifest of SHA-256 sums)."""

import hashlib
import io
import json
import zipfile
from datetime import datetime, timedelta

import numpy as np
from flask import Response, render_template
from sqlalchemy.orm import Session

from app.documents.pdf import LockedFetcher, html_to_pdf
from app.documents.spreadsheets import to_csv
from app.documents.trend_chart import trend_chart
from app.models import Booking, EntryKind
from app.platform.context import current_context
from app.platform.timefmt import to_local
from app.services.batch import acceptance, batch_record, process_data

REPORT_CHARTS = 4


def record_marks(record: batch_record.BatchRecord, end_ms: int, sample_label: str = "取样") -> tuple[tuple, tuple]:
    """The record's phases as (start, end, name) and its samples and deviations as (time, label, kind)."""
    ms = process_data.millis
    phases = tuple((ms(p.at), ms(p.until) if p.until else end_ms, p.name) for p in record.entries[EntryKind.PHASE])
    events = tuple(
        (ms(e.at), e.name or sample_label, e.kind.value)
        for kind in (EntryKind.SAMPLE, EntryKind.DEVIATION)
        for e in record.entries[kind]
    )
    return phases, events


def report_pdf(session: Session, booking: Booking, now: datetime, fetcher: LockedFetcher | None = None) -> bytes:
    """The batch report: the record, the first four tags' charts over the whole batch, samples, signatures."""
    record = batch_record.record_of(session, booking)
    data_set = process_data.latest(session, booking)
    charts = []
    if data_set is not None:
        end = data_set.end + timedelta(minutes=1)
        low, high = process_data.millis(data_set.start), process_data.millis(end)
        phases, events = record_marks(record, high)
        names = [t.name for t in data_set.tags[:REPORT_CHARTS]]
        charts = [
            trend_chart(s.tag, s.unit, s.times, s.values, low, high, current_context().tz, phases, events)
            for s in process_data.read_series(session, booking, names, data_set.start, end)
        ]
    html = render_template(
        "pdf/batch_report.html",
        booking=booking,
        record=record,
        details=batch_record.details,
        data_set=data_set,
        charts=charts,
        standing=acceptance.standing(session, booking, now),
        platform=current_context().platform["name"],
        printed=to_local(now, current_context().tz),
    )
    return html_to_pdf(html, fetcher)


def process_csv(session: Session, booking: Booking) -> bytes:
    """Every point of the newest version, one row per time and one column per tag (blank where a tag has none)."""
    series = process_data.read_series(session, booking, None, None, None, max_points=None)
    if not series:
        return to_csv(["时间"], [])
    times = np.unique(np.concatenate([s.times for s in series]))
    columns = []
    for s in series:
        column = np.full(len(times), np.nan)
        column[np.searchsorted(times, s.times)] = s.values
        columns.append(column)
    headers = ["时间（北京时间）"] + [f"{s.tag} ({s.unit})" if s.unit else s.tag for s in series]
    zone = current_context().tz
    rows = (
        [
            datetime.fromtimestamp(t / 1000, zone).strftime("%Y-%m-%d %H:%M:%S"),
            *(None if np.isnan(c[i]) else float(f"{c[i]:.7g}") for c in columns),
        ]
        for i, t in enumerate(times.tolist())
    )
    return to_csv(headers, rows)


def samples_csv(record: batch_record.BatchRecord) -> bytes:
    columns = record.assay_columns
    headers = ["编号", "取样时间（北京时间）"] + [f"{name} ({unit})" if unit else name for name, unit in columns]
    rows = (
        [
            e.id,
            to_local(e.at, current_context().tz).strftime("%Y-%m-%d %H:%M"),
            *(batch_record.details(e)["values"].get(name, "") for name, _ in columns),
        ]
        for e in record.entries[EntryKind.SAMPLE]
    )
    return to_csv(headers, rows)


def data_package(session: Session, booking: Booking, now: datetime) -> bytes:
    """The ZIP the customer downloads; manifest.json lists each file's size and SHA-256."""
    files = {
        "batch_report.pdf": report_pdf(session, booking, now),
        "process_data.csv": process_csv(session, booking),
        "samples.csv": samples_csv(batch_record.record_of(session, booking)),
    }
    manifest = {
        "booking": booking.reference,
        "created_at": to_local(now, current_context().tz).isoformat(timespec="seconds"),
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def download(what: str, session: Session, booking: Booking, now: datetime) -> Response:
    """The report ("report") or the data package ("package") as a file to save."""
    if what == "report":
        data, mimetype, name = report_pdf(session, booking, now), "application/pdf", "batch-report"
    else:
        data, mimetype, name = data_package(session, booking, now), "application/zip", "batch-data"
    filename = f"{name}-{booking.reference}.{mimetype.rsplit('/', 1)[1]}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
