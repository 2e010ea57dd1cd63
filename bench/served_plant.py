"""A served demo plant for the HTTP benchmarks: a throwaway database (SQLite or PostgreSQL) with the demo plant
and a seeded year of bookings, gunicorn (2 workers) on a free port of 127.0.0.1, customer1's credentials,
and realistic booking requests. Everything made is removed afterwards."""
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TZ = ZoneInfo("Asia/Shanghai")
#: one request at a time per worker, as behind nginx in production (docs/deploy.md), but threaded so that a
#: kept-alive idle connection waits in the poller instead of holding the worker (no proxy buffers here)
THREADED = ("--worker-class", "gthread", "--threads", "1", "--keep-alive", "5")
LOGIN = {"email": "customer1@pilot.example", "password": "demo-2026"}
VOLUMES = {"liquid": [20, 35, 60, 120, 300, 600, 1200, 3000, 6000, 12000], "solid": [30, 200, 800, 2000, 6000]}
FAMILIES = ["bacillus", "e_coli", "yeast", "aspergillus", "corynebacterium"]


@contextmanager
def throwaway_database(kind: str, tmp: Path):
    """A new empty database URL; PostgreSQL's is dropped afterwards (SQLite's file goes with `tmp`)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"bench_avail_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def seed_bookings(url: str, outbox: Path) -> int:
    """A seeded year of bookings, written straight into the database."""
    from sqlalchemy import func, select

    from app import create_app
    from app.db import db_session
    from app.models import Allocation
    from bench.booking_seed import seed_year

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "OUTBOX_DIR": str(outbox)})
    with app.app_context():
        session = db_session()
        seed_year(session)
        session.commit()
        count = session.scalar(select(func.count()).select_from(Allocation).where(Allocation.active))
    app.extensions["engine"].dispose()
    return count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict, tmp: Path, workers: int = 2):
    """gunicorn on a free port of 127.0.0.1; stopped (its own process only) on the way out."""
    port = free_port()
    log = (tmp / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), *THREADED, "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def token(port: int) -> dict:
    """customer1's bearer token header."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/tokens", data=json.dumps(LOGIN).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return {"Authorization": f"Bearer {json.load(response)['token']}"}


def _window(rng: random.Random) -> tuple[str, str]:
    today = datetime.now(TZ).date()
    earliest = datetime(today.year, today.month, today.day, 8, tzinfo=TZ) + timedelta(days=rng.randint(1, 60))
    latest = earliest + timedelta(days=rng.randint(30, 120), hours=12)
    return earliest.isoformat(), latest.isoformat()


def request_fields(rng: random.Random) -> dict:
    """A realistic request: kind, working volume, duration, window, service, organism family."""
    kind = "liquid" if rng.random() < 0.7 else "solid"
    earliest, latest = _window(rng)
    service = "extraction" if kind == "liquid" and rng.random() < 0.15 else rng.choice(["scale_up", "production"])
    return {"kind": kind, "working_volume_l": rng.choice(VOLUMES[kind]),
            "duration_h": rng.choice([24, 48, 72, 96, 120, 168]), "earliest_start": earliest, "latest_end": latest,
            "service": service, "organism_family": rng.choice(FAMILIES)}


@contextmanager
def busy_plant(kind: str):
    """A throwaway database with the demo plant and a seeded year of bookings: (tmp, url, env, allocations)."""
    with tempfile.TemporaryDirectory(prefix="bench_plant_") as tmp_name, \
            throwaway_database(kind, Path(tmp_name)) as url:
        tmp = Path(tmp_name)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "OUTBOX_DIR": str(tmp / "outbox")}
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "demo", "load")
        yield tmp, url, env, seed_bookings(url, tmp / "outbox")
