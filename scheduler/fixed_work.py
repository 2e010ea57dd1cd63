"""What is on the resources and pools, with fast 'where can this stage start' queries; the read-only
index of a problem's fixed work, which `Problem.fixed_work` builds once (working copies: timeline.py)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import pairwise

from scheduler.elements import Assignment, Demand, Job, Pool, Resource, Stage, Window
from scheduler.intervals import INF, Span, clip, complement, intersect, merge, subtract

Occupation = tuple[int, int, str | None]  # start, end of turnaround, family
Usage = tuple[Sequence[int], Sequence[int]]  # the times a pool's use changes (the first -INF), the use from each on


class Occupancy:
    """Occupations per resource (sorted by start), blocked windows and a usage step function per pool;
    the queries shared by the fixed-work index and its working copies."""

    resources: Mapping[str, Resource]
    windows: list[Span] | None  # merged start windows of stages that need staff (None: any time)
    capacity: Mapping[str, int]
    _blocked: Mapping[str, list[Span]]
    _occupations: Mapping[str, Sequence[Occupation]]
    _starts: Mapping[str, Sequence[int]]  # the occupations' starts, for bisecting
    _longest: Mapping[str, int]  # the longest occupation of each resource
    _usage: Mapping[str, Usage]
    _over_cache: dict[tuple[str, int], list[Span]]  # (pool, threshold) -> spans where the use exceeds it

    def last_event(self) -> int:
        """A time after which no occupation, blocked window or pool use exists."""
        ends = [o[-1][1] for o in self._occupations.values() if o]
        ends += [b[-1][1] for b in self._blocked.values() if b]
        ends += [times[-1] for times, _ in self._usage.values()]
        return max(ends, default=0)

    def settled_after(self, release: int) -> int:
        """A time after which nothing fixed changes for work released at `release`: no occupation,
        blocked window, pool use or end of a start window lies beyond it."""
        return max(self.last_event(), release, self.windows[-1][1] if self.windows else release)

    def usage_steps(self, pool: str) -> list[tuple[int, int, int]]:
        """The pool's current use as (begin, end, level) steps with level > 0."""
        times, levels = self._usage[pool]
        # the level after the last change is 0 (every use ends), and pairwise leaves it out
        return [(t, u, level) for (t, u), level in zip(pairwise(times), levels, strict=False) if level > 0]

    def max_usage(self, pool: str, begin: int, finish: int) -> int:
        times, levels = self._usage[pool]
        i = bisect_right(times, begin) - 1
        top = 0
        while i < len(times) and times[i] < finish:
            top = max(top, levels[i])
            i += 1
        return top

    def _over(self, pool: str, threshold: int, lo: int, hi: int) -> list[Span]:
        """Spans inside [lo, hi) where the pool's usage exceeds `threshold` (cached per threshold)."""
        key = (pool, threshold)
        if key not in self._over_cache:
            self._over_cache[key] = self._scan_over(pool, threshold, -INF, INF)
        return clip(self._over_cache[key], lo, hi)

    def _scan_over(self, pool: str, threshold: int, lo: int, hi: int) -> list[Span]:
        times, levels = self._usage[pool]
        out = []
        i = bisect_right(times, lo) - 1
        while i < len(times) and times[i] < hi:
            if levels[i] > threshold:
                out.append((times[i], times[i + 1] if i + 1 < len(times) else INF))
            i += 1
        return merge(out)

    def zones(self, resource: str, family: str | None, lo: int, hi: int) -> list[Span]:
        """Where an occupation by `family` may not lie: others' occupations (+changeover) and blocks."""
        changeover = self.resources[resource].changeover
        occupations = self._occupations[resource]
        i = bisect_left(self._starts[resource], lo - self._longest[resource] - changeover)
        spans = clip(self._blocked[resource], lo, hi)
        for start, end, other in occupations[i:]:
            if start - changeover >= hi:
                break
            pad = changeover if other != family else 0
            spans.append((start - pad, end + pad))
        return merge(spans)

    def zones_without_changeover(self, resource: str) -> list[Span]:
        """Existing occupations and blocked windows of a resource, merged."""
        spans = [(start, end) for start, end, _ in self._occupations[resource]]
        return merge([*spans, *self._blocked[resource]])

    def start_set(self, resource: str, job: Job, stage: Stage, lo: int, hi: int) -> list[Span]:
        """Every start in [lo, hi) where `stage` fits on `resource` (occupation ends by hi)."""
        duration = stage.options[resource]
        turnaround = self.resources[resource].turnaround
        length = duration + turnaround
        gaps = complement(self.zones(resource, job.family, lo, hi), lo, hi)
        starts = [(a, b - length + 1) for a, b in gaps if b - length + 1 > a]
        if stage.needs_staff and self.windows is not None:
            starts = intersect(starts, self.windows)
        for demand in stage.demands:
            if starts:
                forbidden = self._pool_forbidden(demand, duration, turnaround, starts[0][0], starts[-1][1])
                starts = subtract(starts, forbidden)
        return starts

    def _pool_forbidden(self, d: Demand, duration: int, turnaround: int, lo: int, hi: int) -> list[Span]:
        """Starts in [lo, hi) at which this demand would push its pool over capacity."""
        length = turnaround if d.length is None else d.length
        if length == 0 or d.amount == 0:
            return []
        capacity = self.capacity[d.pool]
        if d.amount > capacity:
            return [(lo, hi)]
        offset = d.offset + (duration if d.anchor == "end" else 0)
        return self._forbidden(d.pool, capacity - d.amount, offset, length, lo, hi)

    def _forbidden(self, pool: str, threshold: int, offset: int, length: int, lo: int, hi: int) -> list[Span]:
        """Starts (at least those in [lo, hi)) whose window [start + offset, + length) meets a use over
        `threshold`; worked out for the part asked for only (the use may change between calls)."""
        over = self._over(pool, threshold, lo + offset - length, hi + offset + length)
        return _starts_hitting(over, offset, length)


class FixedWork(Occupancy):
    """The fixed work (occupations with their turnaround, pool use), blocked windows and start windows
    of a problem. Never changed once built, so the starts each pool demand forbids are worked out
    over the whole axis once and kept for every later query."""

    def __init__(
        self,
        resources: Mapping[str, Resource],
        pools: Sequence[Pool],
        fixed: Sequence[Assignment],
        described: Mapping[str, Job],
        start_windows: Sequence[Window] | None,
    ) -> None:
        self.resources = resources
        self.windows = merge(start_windows) if start_windows is not None else None
        self.capacity = {p.id: p.capacity for p in pools}
        self._blocked = {r: merge(resource.blocked) for r, resource in resources.items()}
        self._over_cache = {}
        self._forbidden_cache: dict[tuple[str, int, int, int], list[Span]] = {}
        occupations: dict[str, list[Occupation]] = {r: [] for r in resources}
        changes: dict[str, dict[int, int]] = {p.id: {} for p in pools}
        for a in fixed:
            job = described.get(a.job)
            pause = resources[a.resource].turnaround
            occupations[a.resource].append((a.start, a.end + pause, job.family if job else None))
            if job is None or a.stage >= len(job.stages):
                continue
            for d in job.stages[a.stage].demands:
                begin, finish = d.window(a.start, a.end, pause)
                if finish > begin and d.amount:
                    delta = changes[d.pool]
                    delta[begin] = delta.get(begin, 0) + d.amount
                    delta[finish] = delta.get(finish, 0) - d.amount
        self._occupations = {r: tuple(sorted(o)) for r, o in occupations.items()}
        self._starts = {r: tuple(start for start, _, _ in o) for r, o in self._occupations.items()}
        self._longest = {r: max((end - start for start, end, _ in o), default=0) for r, o in self._occupations.items()}
        self._usage = {pool: _steps(delta) for pool, delta in changes.items()}

    def _forbidden(self, pool: str, threshold: int, offset: int, length: int, lo: int, hi: int) -> list[Span]:
        key = (pool, threshold, offset, length)
        if key not in self._forbidden_cache:
            over = self._over(pool, threshold, -INF, INF)
            self._forbidden_cache[key] = _starts_hitting(over, offset, length)
        return clip(self._forbidden_cache[key], lo, hi)


def _steps(delta: dict[int, int]) -> Usage:
    """A pool's use as a step function, from its changes at each time."""
    times, levels, level = [-INF], [0], 0
    for t in sorted(delta):
        level += delta[t]
        times.append(t)
        levels.append(level)
    return tuple(times), tuple(levels)


def _starts_hitting(over: list[Span], offset: int, length: int) -> list[Span]:
    """Starts whose demand window [start + offset, + length) meets one of the `over` spans."""
    return merge((a - offset - length + 1, b - offset) for a, b in over)
