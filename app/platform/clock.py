"""The system clock: the one place that reads it. Everything else asks the context's `now()`."""

from datetime import UTC, datetime


def system_clock() -> datetime:
    """Now, as aware UTC."""
    return datetime.now(UTC)
