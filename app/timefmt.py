"""The edges of time: plant-local display and input, aware UTC inside."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def plant_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["PLANT_TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(plant_tz())


def local_to_utc(naive_local: datetime) -> datetime:
    """A wall-clock time at the plant (as typed into a form) as aware UTC."""
    return naive_local.replace(tzinfo=plant_tz()).astimezone(timezone.utc)


def parse_iso(text: str) -> datetime:
    """An ISO 8601 datetime; one without an offset is read as plant-local time."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return local_to_utc(moment)
    return moment.astimezone(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def iso_local(moment: datetime) -> str:
    """ISO 8601 in plant-local time with its offset, as the API answers."""
    return to_local(moment).isoformat(timespec="seconds")


def local_day_start(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time()))
