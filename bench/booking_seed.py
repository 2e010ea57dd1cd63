"""A seeded year of bookings at the demo plant, written straight into the database.

Main batches are laid out vessel by vessel in time order (gap, batch, turnaround, changeover); big liquid batches
get a seed stage on a smaller vessel and some batches a downstream stage, each only where that vessel is free.
Starts fall in staffed hours; at most two starts per hour (crew) and two sterilisations at once (steam)."""

import bisect
import heapq
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Allocation, Booking, BookingStatus, Company, Equipment, Kind, Service, Stage, User

TZ = ZoneInfo("Asia/Shanghai")
ORGANISMS = [
    ("枯草芽孢杆菌", "bacillus"),
    ("大肠杆菌", "e_coli"),
    ("酿酒酵母", "yeast"),
    ("黑曲霉", "aspergillus"),
    ("谷氨酸棒杆菌", "corynebacterium"),
]
SEED_H, SEED_WAIT_H, HOLD_H, INOCULUM = 24, 2, 12, 0.10
SEARCH_H = 24 * 14  # how far past its gap a batch may slip to find room


@dataclass
class Vessel:
    """A vessel's busy spans in whole hours from the origin, [start, free_again)."""

    item: Equipment
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def free(self, start: int, until: int) -> bool:
        k = bisect.bisect_right(self.starts, start)
        return (k == 0 or self.ends[k - 1] <= start) and (k == len(self.starts) or until <= self.starts[k])

    def take(self, start: int, until: int) -> None:
        k = bisect.bisect_right(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, until)

    def blocked_until(self, end: int) -> int:
        return end + math.ceil(self.item.turnaround_h + self.item.changeover_h)


@dataclass
class Plan:
    """What was laid out: each booking as (main vessel, working volume, [(stage, vessel, start, end)])."""

    bookings: list[tuple[Vessel, float, list[tuple[Stage, Vessel, int, int]]]] = field(default_factory=list)
    crew: Counter = field(default_factory=Counter)
    steam: Counter = field(default_factory=Counter)

    def pools_allow(self, stages) -> bool:
        starts = Counter(start for _, _, start, _ in stages)
        ends = Counter(h for _, _, _, end in stages for h in (end, end + 1))
        return all(self.crew[h] + n <= 2 for h, n in starts.items()) and all(
            self.steam[h] + n <= 2 for h, n in ends.items()
        )

    def add(self, main: Vessel, volume: float, stages) -> None:
        for _, vessel, start, end in stages:
            vessel.take(start, vessel.blocked_until(end))
            self.crew[start] += 1
            self.steam[end] += 1
            self.steam[end + 1] += 1
        self.bookings.append((main, volume, stages))


def staffed(origin: datetime, hour: int) -> bool:
    return 8 <= (origin + timedelta(hours=hour)).astimezone(TZ).hour < 20


def batch_hours(rng: random.Random, item: Equipment) -> int:
    if item.kind == Kind.SOLID:
        return rng.randint(72, 240)
    if item.nominal_volume_l <= 200:
        return rng.randint(24, 96)
    return rng.randint(48, 144) if item.nominal_volume_l <= 2000 else rng.randint(72, 192)


def lay_out(
    rng: random.Random, vessels: dict[str, Vessel], plan: Plan, origin: datetime, days: int, gap_mean_h: float
) -> Plan:
    """Lay out bookings on every fermenter around the work already there, earliest vessel first, for `days`."""
    fermenters = [v for v in vessels.values() if v.item.kind != Kind.DOWNSTREAM]
    units = [v for v in vessels.values() if v.item.kind == Kind.DOWNSTREAM]
    horizon = days * 24
    queue = [(0, v.item.code) for v in fermenters]
    while queue:
        at, code = heapq.heappop(queue)
        vessel = vessels[code]
        volume = round(rng.uniform(vessel.item.min_working_volume_l, vessel.item.max_working_volume_l), -1) or 10
        start = at + int(rng.expovariate(1 / gap_mean_h))
        if start > horizon:
            continue
        stages = _first_fit(rng, plan, vessel, volume, start, fermenters, units, origin)
        if stages is None:
            heapq.heappush(queue, (start + SEARCH_H, code))
        elif stages[-1][3] <= horizon:
            plan.add(vessel, volume, stages)
            main_end = next(end for stage, _, _, end in stages if stage == Stage.MAIN)
            heapq.heappush(queue, (vessel.blocked_until(main_end), code))
    return plan


def _first_fit(rng, plan, vessel, volume, start, fermenters, units, origin):
    duration = batch_hours(rng, vessel.item)
    wants_downstream = vessel.item.kind == Kind.LIQUID and rng.random() < 0.15
    for main_start in range(start, start + SEARCH_H):
        if not staffed(origin, main_start) or not vessel.free(main_start, vessel.blocked_until(main_start + duration)):
            continue
        stages = [(Stage.MAIN, vessel, main_start, main_start + duration)]
        if vessel.item.kind == Kind.LIQUID and volume >= 1000:
            seed = _seed_stage(plan, vessel, volume, main_start, fermenters, origin)
            if seed is None:
                continue
            stages.insert(0, seed)
        if wants_downstream:
            stages += _downstream_stage(volume, main_start + duration, units)
        if plan.pools_allow(stages):
            return stages
    return None


def _seed_stage(plan, main, volume, main_start, fermenters, origin):
    inoculum = volume * INOCULUM
    for v in sorted(fermenters, key=lambda v: v.item.nominal_volume_l):
        if (
            v is main
            or v.item.kind != Kind.LIQUID
            or not v.item.min_working_volume_l <= inoculum <= v.item.max_working_volume_l
        ):
            continue
        for wait in range(SEED_WAIT_H + 1):
            start = main_start - wait - SEED_H
            if start >= 0 and staffed(origin, start) and v.free(start, v.blocked_until(start + SEED_H)):
                return Stage.SEED, v, start, start + SEED_H
    return None


def _downstream_stage(volume, main_end, units):
    for v in units:
        hours = math.ceil(volume / (v.item.throughput_l_per_h or 1000))
        if v.item.max_working_volume_l < volume:
            continue
        for start in range(main_end, main_end + HOLD_H + 1):
            if v.free(start, v.blocked_until(start + hours)):
                return [(Stage.DOWNSTREAM, v, start, start + hours)]
    return []


def seed_year(session: Session, seed: int = 2026, days: int = 365, gap_mean_h: float = 36) -> int:
    """Add a year of bookings from tomorrow (plant-local midnight); returns how many allocations were added."""
    rng = random.Random(seed)
    tomorrow = datetime.now(TZ).date() + timedelta(days=1)
    origin = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=TZ).astimezone(UTC)
    vessels = {e.code: Vessel(e) for e in session.scalars(select(Equipment).order_by(Equipment.code))}
    plan = Plan()
    mark_existing_work(session, vessels, plan, origin)
    requesters = list(
        session.execute(
            select(Company.id, User.id)
            .join(User, User.company_id == Company.id)
            .where(Company.is_affiliated.is_(False))
        )
    )
    lay_out(rng, vessels, plan, origin, days, gap_mean_h)
    for n, (main, volume, stages) in enumerate(plan.bookings, start=1):
        session.add(_booking(rng, n, main, volume, stages, origin, rng.choice(requesters)))
    session.flush()
    return sum(len(stages) for _, _, stages in plan.bookings)


def mark_existing_work(session: Session, vessels: dict[str, Vessel], plan: Plan, origin: datetime) -> None:
    """Work already in the database (e.g. the demo's own bookings) keeps its vessels, crew and steam."""

    def hours(moment: datetime, up: bool) -> int:
        value = (moment - origin) / timedelta(hours=1)
        return math.ceil(value) if up else math.floor(value)

    rows = session.execute(
        select(Equipment.code, Allocation.start, Allocation.end, Allocation.occupied_until)
        .join(Allocation.equipment)
        .where(Allocation.active, Allocation.occupied_until > origin)
    )
    for code, start, end, until in rows:
        vessel = vessels[code]
        vessel.take(hours(start, False), hours(until, True) + math.ceil(vessel.item.changeover_h))
        plan.crew[hours(start, False)] += 1
        plan.steam[hours(end, False)] += 1
        plan.steam[hours(end, False) + 1] += 1


def _booking(rng, n, main, volume, stages, origin, requester) -> Booking:
    def at(hour: int) -> datetime:
        return origin + timedelta(hours=hour)

    main_stage = next(s for s in stages if s[0] == Stage.MAIN)
    organism, family = rng.choice(ORGANISMS)
    booking = Booking(
        reference=f"BK{origin:%y%m}-S{n:05d}",
        company_id=requester[0],
        requested_by_id=requester[1],
        service=Service.EXTRACTION
        if stages[-1][0] == Stage.DOWNSTREAM
        else rng.choice([Service.SCALE_UP, Service.PRODUCTION]),
        kind=main.item.kind,
        working_volume_l=volume,
        duration_h=main_stage[3] - main_stage[2],
        earliest_start=at(max(0, stages[0][2] - rng.randint(0, 72))),
        latest_end=at(stages[-1][3] + rng.randint(24, 240)),
        organism=organism,
        organism_family=family,
        status=BookingStatus.CONFIRMED if rng.random() < 0.75 else BookingStatus.REQUESTED,
    )
    for stage, vessel, start, end in stages:
        booking.allocations.append(
            Allocation(
                equipment_id=vessel.item.id,
                stage=stage,
                start=at(start),
                end=at(end),
                occupied_until=at(end) + timedelta(hours=vessel.item.turnaround_h),
            )
        )
    return booking
