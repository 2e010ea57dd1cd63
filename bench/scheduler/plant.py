"""The demo plant's inventory (optionally doubled to 60 vessels) and seeded workload generators."""

from __future__ import annotations

import random

from scheduler.inventory import Vessel
from scheduler.rules import Extraction, Policy, Request

DAY = 24 * 60
YEAR = 365 * DAY
FAMILIES = ("E. coli", "yeast", "Bacillus", "Aspergillus", "Streptomyces")
LIQUID = [(30, 4), (50, 2), (100, 2), (200, 2), (500, 2), (1000, 1), (2000, 2), (5000, 2), (10000, 1), (20000, 2)]
SOLID = [(75, 2), (500, 1), (2000, 1), (5000, 1), (15000, 1)]
DOWNSTREAM = [("centrifuge", 2000), ("membrane", 1500), ("evaporator", 1000), ("dryer", 400)]
POLICY = Policy(steam_capacity=3, crew_capacity=2)
POLICY_60 = Policy(steam_capacity=6, crew_capacity=4)


def turnaround_h(nominal_l: float) -> float:
    """Realistic CIP + SIP time by size."""
    if nominal_l <= 100:
        return 5
    if nominal_l <= 1000:
        return 7
    if nominal_l <= 5000:
        return 10
    return 14


def vessels(copies: int = 1) -> list[Vessel]:
    """The demo plant: 20 liquid, 6 solid, 4 downstream units per copy (copies=2 gives 60)."""
    out = []
    for c in range(copies):
        for kind, sizes in (("liquid", LIQUID), ("solid", SOLID)):
            for nominal, count in sizes:
                for i in range(count):
                    code = f"{kind[0].upper()}{nominal}-{c}{i}"
                    out.append(
                        Vessel(
                            code,
                            kind,
                            nominal,
                            turnaround_h=turnaround_h(nominal),
                            changeover_h=2,
                            biosafety_level=2 if i == 0 else 1,
                        )
                    )
        for unit, rate in DOWNSTREAM:
            out.append(
                Vessel(
                    f"D-{unit}-{c}",
                    "downstream",
                    throughput_l_per_h=rate,
                    unit=unit,
                    turnaround_h=4,
                    changeover_h=1,
                    biosafety_level=2,
                )
            )
    return out


def staffed_windows(days: int) -> list[tuple[int, int]]:
    """08:00-20:00 every day from the origin (a local midnight)."""
    return [(d * DAY + 8 * 60, d * DAY + 20 * 60) for d in range(days)]


def random_request(rng: random.Random, rid: str, release: int, slack_h: float, chained: bool = False) -> Request:
    """A plausible request; chained=True gives a >=1,000 L liquid batch with extraction."""
    kind = "liquid" if chained or rng.random() < 0.75 else "solid"
    sizes = LIQUID if kind == "liquid" else SOLID
    nominal = rng.choice([n for n, _ in sizes if not chained or n >= 2000])
    share = (0.3, 0.7) if kind == "liquid" else (0.2, 0.6)
    volume = round(nominal * rng.uniform(*share))
    duration = rng.choice([24, 36, 48, 72]) if kind == "liquid" else rng.choice([72, 96, 120])
    extraction = Extraction(unit=rng.choice([u for u, _ in DOWNSTREAM])) if chained or rng.random() < 0.2 else None
    due = release + int((duration + slack_h) * 60)
    return Request(
        rid,
        "scale-up",
        kind,
        volume,
        duration,
        earliest_start=release,
        latest_end=due,
        organism_family=rng.choice(FAMILIES),
        biosafety_level=1,
        extraction=extraction,
        weight=rng.choice([1, 1, 2, 3, 5]),
    )
