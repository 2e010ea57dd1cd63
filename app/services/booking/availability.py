"""Availability: the earliest feasible slots for a request that is not stored yet."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

import billing
from app.models import Booking, Company
from app.platform.context import Context
from app.platform.errors import ValidationFailed, require_valid
from app.services.booking.bookings import BookingInput, booking_fields, input_problems
from app.services.finance import pricing
from app.services.plan.plan_cache import current_plan
from app.services.plan.planning import request_of
from scheduler import earliest_slots
from scheduler.inventory import NoFit
from scheduler.rules import job_for, roles


@dataclass(frozen=True)
class SlotStage:
    equipment: str
    stage: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Slot:
    equipment: str
    start: datetime
    end: datetime
    stages: list[SlotStage]
    estimate: billing.Totals | None = None  # the booking's quote if placed here (when a company asked)

    def clear_of(self, held: list[tuple[str, datetime, datetime]]) -> bool:
        """Whether no (equipment, start, end) held for someone else overlaps this slot's main stage."""
        return not any(code == self.equipment and start < self.end and self.start < end for code, start, end in held)


@dataclass(frozen=True)
class Availability:
    slots: list[Slot]
    vessels: list[str]  # the codes of every vessel that could take some stage of the request


def find_slots(
    session: Session,
    data: BookingInput,
    ctx: Context,
    limit: int = 5,
    *,
    priced_for: Company | None = None,
) -> Availability:
    """The earliest chains (seed, main, downstream as needed) that end by the request's latest end; each with
    the estimate the company `priced_for` would be quoted for it."""
    rules, now = ctx.rules, ctx.now()
    require_valid(input_problems(data, now, rules.limits))
    plan = current_plan(session, rules, now, ctx.plan_cache)
    clock = plan.clock
    draft = Booking(id=0, **booking_fields(data), company=priced_for)
    request = request_of(draft, clock)
    try:
        job = job_for(request, plan.vessels, rules.policy)
    except NoFit as error:
        raise ValidationFailed(str(error), {"working_volume_l": str(error)}) from None
    problem = plan.problem
    names = roles(request, rules.policy)
    deadline = clock.minutes(data.latest_end)
    chains = [c for c in earliest_slots(problem, job, limit=limit) if c[-1].end <= deadline]
    vessels = sorted({code for stage in job.stages for code in stage.options})
    slots = [slot_of(chain, names, clock) for chain in chains]
    if priced_for is not None:
        slots = [replace(slot, estimate=_estimate(session, draft, slot, ctx)) for slot in slots]
    return Availability(slots, vessels)


def _estimate(session: Session, draft: Booking, slot: Slot, ctx: Context) -> billing.Totals | None:
    quote = pricing.estimate_placed(session, draft, [(s.stage, s.equipment, s.start, s.end) for s in slot.stages], ctx)
    return quote[1] if quote else None


def slot_of(chain, names, clock) -> Slot:
    """A scheduler chain as a slot: its stages, and the main stage's vessel and times."""
    stages = [SlotStage(a.resource, names[a.stage], clock.moment(a.start), clock.moment(a.end)) for a in chain]
    main = next(s for s in stages if s.stage == "main")
    return Slot(main.equipment, main.start, main.end, stages)
