"""The web path of a breakdown on a busy year: recording it (which marks what it breaks conflicted) and proposing
the repair, through the services the pages and the API call, on the demo plant with a seeded year of bookings.

    python -m bench.disruption_service [--runs 5] [--database sqlite|postgresql]

Scenarios: the busiest liquid vessel down for 3, 7 and 14 days from tomorrow 08:00. Each run is rolled back, so
every run starts from the same plan."""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app import create_app
from app.models import Allocation, BookingStatus, Equipment, Kind, User
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.plan import inventory, repair
from bench.booking_seed import TZ
from bench.served_plant import busy_plant

DOWN_DAYS = (3, 7, 14)


def busiest_liquid_vessel(session, now: datetime) -> str:
    query = (
        select(Equipment.code, func.count(Allocation.id))
        .join(Allocation.equipment)
        .where(Equipment.kind == Kind.LIQUID, Allocation.active, Allocation.start > now)
        .group_by(Equipment.code)
        .order_by(func.count(Allocation.id).desc())
    )
    return session.execute(query).first()[0]


def run(session, operator: User, code: str, days: int, now: datetime) -> dict:
    """One breakdown recorded and its repair proposed, timed; rolled back afterwards."""
    rules = current_context().rules
    start = datetime.combine(now.astimezone(TZ).date() + timedelta(days=1), datetime.min.time(), TZ) + timedelta(
        hours=8
    )
    began = time.perf_counter()
    _, changed = inventory.add_maintenance(
        session,
        operator,
        inventory.equipment_by_code(session, code),
        start,
        start + timedelta(days=days),
        "故障",
        rules,
        now,
    )
    recorded = time.perf_counter() - began
    began = time.perf_counter()
    proposal = repair.propose_repair(session, rules, now, 1.5, 4, workers=2)
    proposed = time.perf_counter() - began
    conflicted = sum(b.status == BookingStatus.CONFLICTED for b in changed)
    session.rollback()
    return {
        "record_s": recorded,
        "repair_s": proposed,
        "conflicted": conflicted,
        "moved": len(proposal.moves),
        "status": proposal.status,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    with busy_plant(args.database) as (_tmp, url, _env, allocations):
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            session, now = db_session(), datetime.now(UTC)
            operator = session.scalar(select(User).where(User.email == "operator@pilot.example"))
            code = busiest_liquid_vessel(session, now)
            print(f"{allocations} seeded allocations; busiest liquid vessel {code}; {args.runs} runs each")
            print("| down | conflicted | record p95 (s) | repair p95 (s) | bookings moved | status |")
            print("| --- | --- | --- | --- | --- | --- |")
            for days in DOWN_DAYS:
                results = [run(session, operator, code, days, now) for _ in range(args.runs)]

                def p95(key, results=results):
                    values = [r[key] for r in results]
                    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]

                last = results[-1]
                print(
                    f"| {days} d | {last['conflicted']} | {p95('record_s'):.2f} | {p95('repair_s'):.2f} | "
                    f"{last['moved']} | {last['status']} |"
                )


if __name__ == "__main__":
    main()
