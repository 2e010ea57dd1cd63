"""The load script (bench/load.py, wrk against gunicorn with a year of bookings) as a check: every answer is a
success. Its latency figures are recorded in docs/benchmarks.md, never asserted here."""
import argparse
import os

import pytest

from bench import load

pytestmark = pytest.mark.slow


def test_fifty_browsing_users_and_twenty_searching_clients_get_only_successful_answers():
    database = "postgresql" if os.environ.get("TEST_DATABASE") == "postgresql" else "sqlite"
    results = load.bench_database(database, argparse.Namespace(scenarios="users,availability", seconds=5, seed=7))
    assert [r.scenario for r in results] == ["users", "availability"]
    for result in results:
        assert result.failures() == 0, result.fields
        assert result.statuses()["200"] == result.fields["requests"]
