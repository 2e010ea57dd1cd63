"""A served demo plant for the HTTP benchmarks: a throwaway database (SQLite or PostgreSQL) with the demo plant
and a seeded year of bookings, served by gunicorn (2 workers) behind nginx on free ports of 127.0.0.1, customer1's
credentials, and realistic booking requests. Everything made is removed afterwards."""

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.databases import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
LOGIN = {"email": "customer1@pilot.example", "password": "demo-2026"}
#: the benchmarks measure placement, not the per-company limits: customer1 alone requests far more than one
#: company may hold unconfirmed, with windows up to 180½ days ahead
BENCH_LIMITS = {"MAX_UNCONFIRMED_VESSEL_HOURS": "10000000", "MAX_REQUEST_HORIZON_DAYS": "200"}
VOLUMES = {"liquid": [20, 35, 60, 120, 300, 600, 1200, 3000, 6000, 12000], "solid": [30, 200, 800, 2000, 6000]}
FAMILIES = ["bacillus", "e_coli", "yeast", "aspergillus", "corynebacterium"]


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def seed_bookings(url: str, outbox: Path) -> int:
    """A seeded year of bookings, written straight into the database."""
    from sqlalchemy import func, select

    from app import create_app
    from app.models import Allocation
    from app.platform.db import db_session
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


NGINX_CONF = """{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  upstream app {{ server 127.0.0.1:{app_port}; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@contextmanager
def served(env: dict, tmp: Path, workers: int = 2):
    """The app as docs/deploy.md deploys it: gunicorn's synchronous workers behind nginx, which reads each
    request whole before passing it on; yields nginx's port (free ports of 127.0.0.1)."""
    app_port, port = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{app_port}",
        "--timeout",
        "30",
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(user=user, tmp=tmp, app_port=app_port, port=port))
    with (
        _process(command, tmp / "gunicorn.log", env) as app,
        _process(
            ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"], tmp / "nginx.log", env
        ) as proxy,
    ):
        _wait_until_up(port, (app, proxy))
        yield port


@contextmanager
def _process(command: list[str], log_path: Path, env: dict):
    """A child process, its output to `log_path`; stopped (it alone) on the way out."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(port: int, processes: tuple[subprocess.Popen, ...]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("gunicorn or nginx exited; see their logs")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the app did not answer through nginx within 60 s")


def token(port: int) -> dict:
    """customer1's bearer token header."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/tokens",
        data=json.dumps(LOGIN).encode(),
        headers={"Content-Type": "application/json"},
    )
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
    return {
        "kind": kind,
        "working_volume_l": rng.choice(VOLUMES[kind]),
        "duration_h": rng.choice([24, 48, 72, 96, 120, 168]),
        "earliest_start": earliest,
        "latest_end": latest,
        "service": service,
        "organism_family": rng.choice(FAMILIES),
    }


@contextmanager
def busy_plant(kind: str):
    """A throwaway database with the demo plant and a seeded year of bookings: (tmp, url, env, allocations)."""
    with (
        tempfile.TemporaryDirectory(prefix="bench_plant_") as tmp_name,
        throwaway_database(kind, Path(tmp_name), "bench_avail") as url,
    ):
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "OUTBOX_DIR": str(tmp / "outbox"),
            **BENCH_LIMITS,
        }
        flask_cli(env, "db", "upgrade")
        flask_cli(env, "demo", "load")
        yield tmp, url, env, seed_bookings(url, tmp / "outbox")
