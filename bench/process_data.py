"""Process-data benchmarks: importing a 14-day, 12-tag, 10 s wide CSV export (about 1.45 M values), the bytes
stored per value, the batch page's charts (whole batch and a one-day zoom) and the batch report PDF (four charts).

    python -m bench.process_data            # everything, on a throwaway SQLite file
    python -m bench.process_data postgresql # the same on a throwaway PostgreSQL database

Seeded data (random.Random / numpy seed 7): twelve tags a fermenter's control system exports (temperature, pH,
DO, agitation, aeration, pressure, feed, weight, foam, CO2, O2, jacket temperature) as random walks around their
set points, written with one to three decimals, one row every 10 s for 14 days (120,960 rows).
The import runs in a child process so that its peak RSS is its own.
"""

import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from app import create_app
from app.models import ProcessTag
from app.platform.db import db_session
from app.services.access import accounts, registration
from app.services.access.passwords import new_password
from bench.databases import throwaway_database
from tests.app.booking_data import SHANGHAI, request_body
from tests.factories import PASSWORD, valid_uscc

DAYS, STEP_S = 14, 10
TAGS = {  # column: (name, unit, set point, step size, decimals)
    "TIC101.PV": ("温度", "°C", 37.0, 0.02, 2),
    "AIC102.PV": ("pH", "", 7.0, 0.005, 2),
    "AIC103.PV": ("溶氧", "%", 40.0, 0.5, 1),
    "SIC104.PV": ("搅拌", "rpm", 300.0, 1.0, 0),
    "FIC105.PV": ("通气", "L/min", 50.0, 0.2, 1),
    "PIC106.PV": ("罐压", "kPa", 50.0, 0.1, 1),
    "FIC107.PV": ("补料", "mL/h", 120.0, 0.5, 1),
    "WIC108.PV": ("罐重", "kg", 60.0, 0.01, 2),
    "LIC109.PV": ("泡沫", "", 0.0, 0.02, 2),
    "AIC110.PV": ("尾气CO2", "%", 2.0, 0.01, 3),
    "AIC111.PV": ("尾气O2", "%", 19.0, 0.01, 3),
    "TIC112.PV": ("夹套温度", "°C", 35.0, 0.03, 2),
}
IMPORT_LIMIT_S, RSS_LIMIT_MB, PAGE_LIMIT_MS, ZOOM_LIMIT_MS, REPORT_LIMIT_S = 15.0, 500, 300, 150, 3.0


def export_csv(start: datetime) -> bytes:
    """The seeded wide export: a time column and the twelve tags, one row every STEP_S seconds."""
    rng = np.random.default_rng(7)
    rows = DAYS * 86400 // STEP_S
    columns = []
    for _name, _unit, set_point, step, decimals in TAGS.values():
        walk = set_point + np.cumsum(rng.normal(0, step, rows))
        columns.append([f"{v:.{decimals}f}" for v in walk])
    times = [(start + timedelta(seconds=STEP_S * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(rows)]
    out = io.StringIO()
    out.write("时间," + ",".join(TAGS) + "\n")
    for i, moment in enumerate(times):
        out.write(moment + "," + ",".join(column[i] for column in columns) + "\n")
    return out.getvalue().encode()


def mapping() -> str:
    return json.dumps(
        {"time_column": "时间", "tags": {c: {"name": t[0], "unit": t[1]} for c, t in TAGS.items()}}, ensure_ascii=False
    )


def make_app(url: str):
    from alembic import command

    from app.ops.cli import alembic_config

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "JOB_QUEUE_URL": "immediate",
        }
    )
    with app.app_context():
        command.upgrade(alembic_config(), "head")
    return app


def running_batch(app) -> tuple[int, dict]:
    """A 14-day batch started now on a 100 L vessel; the operator's API headers."""
    from app.services.plan import inventory

    with app.app_context():
        session = db_session()
        inventory.add_equipment(
            session,
            None,
            inventory.EquipmentFields(code="LF100-1", name="LF100-1", kind="liquid", nominal_volume_l=100),
        )
        now = datetime.now(SHANGHAI)
        registration.register_approved(
            session,
            registration.CompanyDetails(
                name="基准客户", uscc=valid_uscc(90_001), contact_name="联系人", email="c@example.com"
            ),
            PASSWORD,
            now,
        )
        accounts.create_user(session, None, "op@example.com", "operator", new_password(PASSWORD), None, verified_at=now)
        session.commit()
    client = app.test_client()
    headers = {}
    for email in ("c@example.com", "op@example.com"):
        token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
        headers[email] = {"Authorization": f"Bearer {token}"}
    body = request_body(duration_h=DAYS * 24)
    booking = client.post("/api/v1/bookings", json=body, headers=headers["c@example.com"]).get_json()
    client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=headers["op@example.com"])
    client.post(
        f"/api/v1/bookings/{booking['id']}/start",
        json={"here": True},  # now, ahead of its plan
        headers=headers["op@example.com"],
    )
    return booking["id"], headers["op@example.com"]


def import_child(url: str, path: str, booking_id: int, headers: str) -> None:
    """In a child process: import the file through the API, the job run in this process at its commit (the
    "immediate" queue); print the seconds from upload to the job's end, peak RSS and the job."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True, "JOB_QUEUE_URL": "immediate"})
    client, headers = app.test_client(), json.loads(headers)
    data = Path(path).read_bytes()
    began = time.perf_counter()
    response = client.post(
        f"/api/v1/bookings/{booking_id}/process-data",
        headers=headers,
        data={"file": (io.BytesIO(data), "trend.csv"), "mapping": mapping()},
        content_type="multipart/form-data",
    )
    job = client.get(response.headers["Location"], headers=headers).get_json()
    seconds = time.perf_counter() - began
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "status": response.status_code, "job": job}))


def p95_ms(client, url: str, runs: int = 40) -> float:
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - began) * 1000)
    return statistics.quantiles(times, n=20)[18]


def report_seconds(client, url: str) -> float:
    """Median of three renderings of the batch report (the first, warming the fonts, not counted)."""
    client.get(url)
    times = []
    for _ in range(3):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.mimetype == "application/pdf"
    return statistics.median(times)


def run(kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder, throwaway_database(kind, Path(folder), "bench_pd") as url:
        app = make_app(url)
        booking_id, headers = running_batch(app)
        start = datetime.now(SHANGHAI).replace(minute=0, second=0, microsecond=0, tzinfo=None)
        path = Path(folder) / "trend.csv"
        path.write_bytes(export_csv(start))
        child = subprocess.run(
            [sys.executable, "-m", "bench.process_data", "child", url, str(path), str(booking_id), json.dumps(headers)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        with app.app_context():
            tags = db_session().query(ProcessTag).all()
            points, stored = sum(t.points for t in tags), sum(t.stored_bytes for t in tags)
        client = app.test_client()
        client.post("/login", data={"email": "op@example.com", "password": PASSWORD})
        page = p95_ms(client, f"/bookings/{booking_id}/batch")
        day = (start + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        next_day = (start + timedelta(days=6)).strftime("%Y-%m-%dT%H:%M")
        zoom = p95_ms(client, f"/bookings/{booking_id}/batch?start={day}&end={next_day}")
        report = report_seconds(client, f"/bookings/{booking_id}/batch/report.pdf")
        job = result["job"]
        print(f"{kind}: file {path.stat().st_size / 1e6:.1f} MB, {job['result']['rows']} rows, {points} values")
        print(
            f"  import {result['seconds']:.2f} s (limit {IMPORT_LIMIT_S} s), {result['status']} then job "
            f"{job['state']}, "
            f"peak RSS {result['rss_mb']:.0f} MB (limit {RSS_LIMIT_MB} MB)"
        )
        print(f"  stored {stored / 1e6:.2f} MB: {stored / points:.2f} bytes per value (target <= 4)")
        print(f"  batch page, three charts, whole batch: p95 {page:.1f} ms (limit {PAGE_LIMIT_MS} ms)")
        print(f"  one-day zoom: p95 {zoom:.1f} ms (limit {ZOOM_LIMIT_MS} ms)")
        print(f"  batch report PDF, four charts over 14 days: median of 3 {report:.2f} s (limit {REPORT_LIMIT_S} s)")
        app.extensions["engine"].dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        import_child(*sys.argv[2:4], int(sys.argv[4]), sys.argv[5])
    else:
        run(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
