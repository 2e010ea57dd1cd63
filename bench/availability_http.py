"""HTTP benchmark: availability and booking creation under gunicorn, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.availability_http [--databases sqlite,postgresql] [--requests 2000] [--bookings 300]

For each database: a throwaway database, migrated and loaded with the demo plant by the CLI, a seeded year of
bookings, gunicorn (2 workers) on a free port of 127.0.0.1, then 20 client threads. Traffic goes to 127.0.0.1 only;
everything made is removed afterwards. Prints a Markdown report (recorded in docs/benchmarks.md)."""
import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.http_load import Load, call, run_load

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TZ = ZoneInfo("Asia/Shanghai")
LOGIN = {"email": "customer1@pilot.example", "password": "demo-2026"}
VOLUMES = {"liquid": [20, 35, 60, 120, 300, 600, 1200, 3000, 6000, 12000], "solid": [30, 200, 800, 2000, 6000]}
FAMILIES = ["bacillus", "e_coli", "yeast", "aspergillus", "corynebacterium"]


@dataclass
class Run:
    database: str
    allocations: int
    loads: dict[str, Load] = field(default_factory=dict)


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
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
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
            if call(port, "GET", "/api/v1/openapi.json")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def token(port: int) -> dict:
    status, _, body = call(port, "POST", "/api/v1/tokens", body=LOGIN)
    if status != 201:
        raise RuntimeError(f"could not get a token: {status} {body[:200]!r}")
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


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


def availability_calls(rng: random.Random, n: int) -> list[tuple[str, str, dict | None]]:
    from urllib.parse import urlencode

    return [("GET", "/api/v1/availability?" + urlencode({**request_fields(rng), "limit": rng.randint(1, 5)}), None)
            for _ in range(n)]


def booking_calls(rng: random.Random, n: int) -> list[tuple[str, str, dict | None]]:
    return [("POST", "/api/v1/bookings", {**request_fields(rng), "organism": "枯草芽孢杆菌"}) for _ in range(n)]


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


def bench_database(kind: str, args) -> Run:
    with busy_plant(kind) as (tmp, _url, env, allocations):
        run = Run(kind, allocations)
        print(f"[{kind}] {run.allocations} active allocations (demo + seeded)", flush=True)
        rng = random.Random(args.seed)
        with gunicorn(env, tmp) as port:
            headers = token(port)
            run_load(port, availability_calls(rng, 20), 2, headers)  # warm both workers up
            run.loads["availability, 1 client"] = run_load(port, availability_calls(rng, 100), 1, headers)
            run.loads[f"availability, {args.clients} clients"] = run_load(
                port, availability_calls(rng, args.requests), args.clients, headers)
            run.loads[f"booking creation, {args.clients} clients"] = run_load(
                port, booking_calls(rng, args.bookings), args.clients, headers, ok=(201, 409))
        for name, load in run.loads.items():
            print(f"[{kind}] {name}: {load.line()}", flush=True)
        return run


def report(runs: list[Run], command: str) -> str:
    lines = ["# Booking benchmarks: availability and booking creation over HTTP", "",
             f"Command: `{command}` (run {datetime.now(TZ):%Y-%m-%d %H:%M} plant time, "
             f"{os.cpu_count()} CPUs, gunicorn 2 sync workers on 127.0.0.1).", "",
             "Setup: a throwaway database, `flask --app wsgi db upgrade`, `flask --app wsgi demo load`, then a "
             "seeded year of bookings from tomorrow (bench/booking_seed.py: batches per vessel in time order with "
             "turnaround, seed stages for big liquid batches, some downstream stages, crew and steam limits kept). "
             "Clients: stdlib http.client threads, one connection per request, bearer token of customer1.", "",
             "| database | allocations | load | requests | answers | unexpected 4xx | errors | req/s "
             "| p50 ms | p95 ms | p99 ms |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        for name, load in run.loads.items():
            lines.append(f"| {run.database} | {run.allocations} | {name} | {load.row()} |")
    lines += ["", "Targets: availability p95 ≤ 100 ms, booking creation p95 ≤ 200 ms (20 concurrent clients).",
              "For booking creation 409 is a correct answer (no free slot in the request's window).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    runs = [bench_database(kind, args) for kind in args.databases.split(",")]
    command = "python -m bench.availability_http " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(runs, command.strip())
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
