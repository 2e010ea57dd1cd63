"""Booking requests for tests: plant-local times relative to today, and a valid request body."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(days: int, hour: int) -> datetime:
    """A plant-local time `days` from today at `hour`:00."""
    today = datetime.now(SHANGHAI).date()
    return datetime(today.year, today.month, today.day, hour, tzinfo=SHANGHAI) + timedelta(days=days)


def request_body(**overrides) -> dict:
    body = {
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": 60,
        "duration_h": 48,
        "earliest_start": local(2, 8).isoformat(),
        "latest_end": local(30, 20).isoformat(),
        "organism": "枯草芽孢杆菌",
        "organism_family": "bacillus",
    }
    return {**body, **overrides}
