"""The parts of a problem: resources, pools, jobs with their stages, placements (frozen; integer minutes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Window = tuple[int, int]


def _freeze(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Resource:
    """A vessel or unit: blocked windows, turnaround after each use, changeover between families."""

    id: str
    blocked: Sequence[Window] = ()
    turnaround: int = 0
    changeover: int = 0

    def __post_init__(self) -> None:
        _freeze(self, "blocked", tuple(sorted((int(a), int(b)) for a, b in self.blocked)))
        if self.turnaround < 0 or self.changeover < 0:
            raise ValueError(f"resource {self.id}: turnaround and changeover must be >= 0")
        if any(a >= b for a, b in self.blocked):
            raise ValueError(f"resource {self.id}: a blocked window must have start < end")


@dataclass(frozen=True)
class Pool:
    """A shared limit (steam, crew): at most `capacity` units in use at any minute."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Demand:
    """Use of `amount` units of a pool from anchor + offset for `length` minutes.

    anchor "start" is the stage start, "end" the stage end; length None means the resource's
    turnaround (e.g. steam during CIP/SIP after the batch).
    """

    pool: str
    amount: int = 1
    anchor: Literal["start", "end"] = "start"
    offset: int = 0
    length: int | None = 60

    def __post_init__(self) -> None:
        if self.anchor not in ("start", "end"):
            raise ValueError(f"demand anchor must be 'start' or 'end', not {self.anchor!r}")
        if self.amount < 0 or (self.length is not None and self.length < 0):
            raise ValueError("demand amount and length must be >= 0")

    def window(self, start: int, end: int, turnaround: int) -> Window:
        """The half-open interval this demand covers for a stage placed at [start, end)."""
        begin = (start if self.anchor == "start" else end) + self.offset
        return begin, begin + (turnaround if self.length is None else self.length)


@dataclass(frozen=True)
class Stage:
    """One step of a job: resource id -> duration there, optional max gap after the previous stage."""

    options: Mapping[str, int] = field(hash=False)
    max_wait: int | None = None
    needs_staff: bool = True
    demands: Sequence[Demand] = ()

    def __post_init__(self) -> None:
        _freeze(self, "options", {str(r): int(d) for r, d in self.options.items()})
        _freeze(self, "demands", tuple(self.demands))
        if not self.options:
            raise ValueError("a stage needs at least one resource option")
        if any(d <= 0 for d in self.options.values()):
            raise ValueError("stage durations must be positive")
        if self.max_wait is not None and self.max_wait < 0:
            raise ValueError("max_wait must be >= 0")


@dataclass(frozen=True)
class Job:
    """Stages run in order; tardiness is counted against `due` with `weight`."""

    id: str
    stages: Sequence[Stage]
    release: int = 0
    due: int | None = None
    weight: int = 1
    family: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "stages", tuple(self.stages))
        if not self.stages:
            raise ValueError(f"job {self.id} has no stages")
        if self.weight < 0:
            raise ValueError(f"job {self.id}: weight must be >= 0")


@dataclass(frozen=True, order=True)
class Assignment:
    """Stage `stage` of job `job` runs on `resource` over [start, end)."""

    job: str
    stage: int
    resource: str
    start: int
    end: int
