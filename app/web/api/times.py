"""Times as the API writes them: ISO 8601 in plant-local time with its offset."""

from datetime import datetime

from app.platform.context import current_context
from app.platform.timefmt import iso_local


def api_time(moment: datetime | None) -> str | None:
    """The moment in the plant's zone (`2026-05-04T09:00:00+08:00`); None stays None."""
    return iso_local(moment, current_context().tz) if moment is not None else None
