"""The edges of time: plant-local display and input, aware UTC inside; times from outside are plausible.
The plant's zone is always given (the context's `tz`)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

#: the years a time from outside may fall in (further out is a typo or an attack, and overflows arithmetic)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def local_to_utc(naive_local: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time at the plant (as typed into a form) as aware UTC."""
    return naive_local.replace(tzinfo=tz).astimezone(UTC)


def plausible(moment: date) -> date:
    """`moment` (a date or datetime, as given) when its year lies in FIRST_YEAR…LAST_YEAR, else ValueError."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"时间须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return moment


def parse_iso(text: str, tz: ZoneInfo) -> datetime:
    """A plausible ISO 8601 datetime; one without an offset is read as plant-local time. ValueError if not."""
    moment = plausible(datetime.fromisoformat(text))
    if moment.tzinfo is None:
        return local_to_utc(moment, tz)
    return moment.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def iso_local(moment: datetime, tz: ZoneInfo) -> str:
    """ISO 8601 in plant-local time with its offset, as the API answers."""
    return to_local(moment, tz).isoformat(timespec="seconds")


def local_day_start(day: date, tz: ZoneInfo) -> datetime:
    return local_to_utc(datetime.combine(day, time()), tz)
