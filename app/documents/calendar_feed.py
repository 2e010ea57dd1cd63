"""iCalendar (RFC 5545) documents of allocations, for a company's or a vessel's calendar subscription."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from app.documents.mail import STAGE_NAMES
from app.models import Allocation
from app.platform.context import current_context
from app.services.booking.lifecycle import STATUS_NAMES, TENTATIVE


def company_summary(allocation: Allocation) -> str:
    """What a customer sees: booking reference, stage and vessel."""
    return f"{allocation.booking.reference} {STAGE_NAMES[allocation.stage]} {allocation.equipment.code}"


def equipment_summary(allocation: Allocation) -> str:
    """What staff see on a vessel's calendar: booking reference, company and stage."""
    return f"{allocation.booking.reference} {allocation.booking.company.name} {STAGE_NAMES[allocation.stage]}"


def calendar_document(
    name: str,
    allocations: Iterable[Allocation],
    summary: Callable[[Allocation], str],
    base_url: str,
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per allocation (UTC times, UID stable per allocation)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Pilot plant booking//calendar feed//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = (now or current_context().now()).astimezone(UTC)
    host = urlsplit(base_url).hostname or "pilot-plant"
    for allocation in allocations:
        calendar.add_component(_event(allocation, summary(allocation), host, stamp))
    return calendar.to_ical()


def _event(allocation: Allocation, summary: str, host: str, stamp: datetime) -> Event:
    booking = allocation.booking
    event = Event()
    event.add("uid", f"allocation-{allocation.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", allocation.start.astimezone(UTC))
    event.add("dtend", allocation.end.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", f"{allocation.equipment.code} {allocation.equipment.name}")
    event.add("description", _description(allocation))
    event.add("status", "TENTATIVE" if booking.status in TENTATIVE else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _description(allocation: Allocation) -> str:
    booking = allocation.booking
    lines = [
        f"预约编号：{booking.reference}",
        f"状态：{STATUS_NAMES[booking.status]}",
        f"菌种：{booking.organism}",
        f"工作体积：{booking.working_volume_l:g} L",
    ]
    if allocation.occupied_until > allocation.end:
        hours = (allocation.occupied_until - allocation.end).total_seconds() / 3600
        lines.append(f"结束后清洗灭菌（CIP/SIP）{hours:g} 小时")
    return "\n".join(lines)
