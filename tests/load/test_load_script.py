"""The load script (bench/load.py: wrk against gunicorn behind nginx, a year of bookings) as a check: every answer is an
expected one. Its latency figures are recorded in docs/benchmarks.md, never asserted here."""

import argparse
import os

import pytest

from bench import load

pytestmark = pytest.mark.slow


def test_browsing_users_searching_clients_and_booking_clients_get_only_expected_answers():
    database = "postgresql" if os.environ.get("TEST_DATABASE") == "postgresql" else "sqlite"
    results = load.bench_database(database, argparse.Namespace(scenarios="users,booking", seconds=5, seed=7))
    assert [(r.scenario, r.group.mix) for r in results] == [
        ("users", "pages"),
        ("booking", "availability"),
        ("booking", "bookings"),
    ]
    for result in results:
        assert int(result.fields["requests"]) > 0
        assert result.failures() == 0, result.fields
    assert "201" in results[-1].statuses()  # some bookings were placed, not all refused
