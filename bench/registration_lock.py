"""A short write's latency on SQLite while clients loop on registration (issue 14, finding 2).

Registration hashes the password (scrypt, ~90 ms) with no transaction open, so a registration flood should not
hold the database's one write lock. Threads (each its own client address) register companies back to back in
the app, in-process, while the main thread times an admin's small write (PATCH a company's phone); the same
writes are timed first with no flood. Usage: python -m bench.registration_lock [--seconds 10] [--flooders 3]"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import create_app
from app.platform.db import db_session
from app.services.access import accounts, registration
from app.services.access.passwords import new_password
from bench.databases import throwaway_database  # noqa: E402
from tests.factories import valid_uscc  # noqa: E402


def _setup(app) -> tuple[int, dict]:
    with app.app_context():
        session = db_session()
        company = registration.register_approved(
            session,
            registration.CompanyDetails("基准企业", valid_uscc(1), "王", "c@example.com"),
            "bench-2026",
            datetime.now(UTC),
        )
        accounts.create_user(
            session, None, "admin@example.com", "admin", new_password("bench-2026"), verified_at=datetime.now(UTC)
        )
        session.commit()
        company_id = company.id
    token = app.test_client().post("/api/v1/tokens", json={"email": "admin@example.com", "password": "bench-2026"})
    return company_id, {"Authorization": f"Bearer {token.get_json()['token']}"}


def _flood(app, n: int, stop: threading.Event, statuses: list) -> None:
    client, k = app.test_client(), 0
    while not stop.is_set():
        k += 1
        response = client.post(
            "/api/v1/companies",
            environ_base={"REMOTE_ADDR": f"10.0.{n}.{k % 250}"},
            json={
                "name": f"注册{n}-{k}",
                "uscc": valid_uscc(100_000 * (n + 1) + k),
                "contact_name": "王",
                "email": f"r{n}-{k}@example.com",
                "password": "bench-2026x",
            },
        )
        statuses.append(response.status_code)


def _time_writes(app, company_id: int, headers: dict, seconds: float) -> list[float]:
    client, times, end = app.test_client(), [], time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.perf_counter()
        response = client.patch(f"/api/v1/companies/{company_id}", headers=headers, json={"phone": str(len(times))})
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.get_json()
        time.sleep(0.05)
    return times


def _summary(label: str, times: list[float]) -> str:
    return (
        f"{label}: {len(times)} writes, median {statistics.median(times):.1f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[-1]:.1f} ms, max {max(times):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--flooders", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, throwaway_database("sqlite", tmp) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "OUTBOX_DIR": f"{tmp}/outbox",
                "REGISTRATIONS_PER_ADDRESS": 10**6,
            }
        )
        with app.app_context():
            from alembic import command

            from app.ops.cli import alembic_config

            command.upgrade(alembic_config(), "head")
        company_id, headers = _setup(app)
        print(_summary("quiet", _time_writes(app, company_id, headers, args.seconds)))
        stop, statuses = threading.Event(), []
        flooders = [threading.Thread(target=_flood, args=(app, n, stop, statuses)) for n in range(args.flooders)]
        for thread in flooders:
            thread.start()
        flooded = _time_writes(app, company_id, headers, args.seconds)
        stop.set()
        for thread in flooders:
            thread.join()
        print(_summary(f"{args.flooders} clients registering", flooded))
        print(
            f"registrations: {len(statuses)}, statuses {sorted(set(statuses))}; load average {os.getloadavg()[0]:.1f}"
        )
        app.extensions["engine"].dispose()


if __name__ == "__main__":
    main()
