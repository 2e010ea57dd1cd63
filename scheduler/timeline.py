"""What is already on the resources and pools, with fast 'where can this stage start' queries."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict

from scheduler.intervals import INF, Span, clip, complement, intersect, merge, subtract
from scheduler.model import Assignment, Demand, Job, Problem, Stage

Occupation = tuple[int, int, str | None]  # start, end of turnaround, family


class Timeline:
    """Occupations per resource (sorted by start) and a usage step function per pool."""

    def __init__(self, problem: Problem) -> None:
        self.resources = problem.resource_by_id
        self.windows = merge(problem.start_windows) if problem.start_windows is not None else None
        self.capacity = {p.id: p.capacity for p in problem.pools}
        self._occupations: dict[str, list[Occupation]] = defaultdict(list)
        self._starts: dict[str, list[int]] = {}
        self._longest: dict[str, int] = defaultdict(int)
        self._blocked = {r.id: merge(r.blocked) for r in problem.resources}
        self._usage: dict[str, tuple[list[int], list[int]]] = {}
        self._over_cache: dict[tuple[str, int], list[Span]] = {}
        self._forbidden_cache: dict[tuple[str, int, int, int], list[Span]] | None = {}  # None once added to
        self._load_fixed(problem)

    def _load_fixed(self, problem: Problem) -> None:
        changes: dict[str, dict[int, int]] = {p.id: {} for p in problem.pools}
        described = problem.fixed_job_by_id
        turnaround = {r.id: r.turnaround for r in problem.resources}
        for a in problem.fixed:
            job = described.get(a.job)
            pause = turnaround[a.resource]
            self._occupations[a.resource].append((a.start, a.end + pause, job.family if job else None))
            self._longest[a.resource] = max(self._longest[a.resource], a.end + pause - a.start)
            if job is None or a.stage >= len(job.stages):
                continue
            for d in job.stages[a.stage].demands:
                begin = (a.start if d.anchor == "start" else a.end) + d.offset
                finish = begin + (pause if d.length is None else d.length)
                if finish > begin and d.amount:
                    delta = changes[d.pool]
                    delta[begin] = delta.get(begin, 0) + d.amount
                    delta[finish] = delta.get(finish, 0) - d.amount
        for resource, occupations in self._occupations.items():
            occupations.sort()
            self._starts[resource] = [o[0] for o in occupations]
        for pool, delta in changes.items():
            times, levels, level = [-INF], [0], 0
            for t in sorted(delta):
                level += delta[t]
                times.append(t)
                levels.append(level)
            self._usage[pool] = (times, levels)

    def _demand_windows(self, a: Assignment, job: Job):
        turnaround = self.resources[a.resource].turnaround
        out = []
        for d in job.stages[a.stage].demands:
            begin, finish = d.window(a.start, a.end, turnaround)
            if finish > begin and d.amount:
                out.append((d.pool, (begin, finish), d.amount))
        return out

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

    def add(self, a: Assignment, job: Job) -> None:
        """Record a newly placed stage (used by the list scheduler); ends the forbidden-start cache."""
        self._forbidden_cache = None
        end = a.end + self.resources[a.resource].turnaround
        insort(self._occupations[a.resource], (a.start, end, job.family))
        self._starts[a.resource] = [o[0] for o in self._occupations[a.resource]]
        self._longest[a.resource] = max(self._longest[a.resource], end - a.start)
        for pool, (begin, finish), amount in self._demand_windows(a, job):
            self._add_usage(pool, begin, finish, amount)

    def _add_usage(self, pool: str, begin: int, finish: int, amount: int) -> None:
        times, levels = self._usage[pool]
        for t in (begin, finish):
            i = bisect_right(times, t) - 1
            if times[i] != t:
                times.insert(i + 1, t)
                levels.insert(i + 1, levels[i])
        for i in range(bisect_left(times, begin), bisect_left(times, finish)):
            levels[i] += amount
        self._refresh_over(pool, begin, finish)

    def usage_steps(self, pool: str) -> list[tuple[int, int, int]]:
        """The pool's current use as (begin, end, level) steps with level > 0."""
        times, levels = self._usage[pool]
        return [(t, u, level) for t, u, level in zip(times, times[1:], levels) if level > 0]

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

    def _refresh_over(self, pool: str, begin: int, finish: int) -> None:
        """Recompute cached over-capacity spans of `pool` around a change in [begin, finish)."""
        for (name, threshold), spans in self._over_cache.items():
            if name != pool:
                continue
            i = bisect_right(spans, (begin, INF))
            i = i - 1 if i and spans[i - 1][1] >= begin else i
            j = i
            while j < len(spans) and spans[j][0] <= finish:
                j += 1
            lo = min(begin, spans[i][0]) if j > i else begin
            hi = max(finish, spans[j - 1][1]) if j > i else finish
            fresh = self._scan_over(pool, threshold, lo, hi)
            left = i - 1 if i and spans[i - 1][1] >= lo else i
            right = j + 1 if j < len(spans) and spans[j][0] <= hi else j
            spans[left:right] = merge(spans[left:i] + fresh + spans[j:right])

    def zones(self, resource: str, family: str | None, lo: int, hi: int) -> list[Span]:
        """Where an occupation by `family` may not lie: others' occupations (+changeover) and blocks."""
        changeover = self.resources[resource].changeover
        occupations = self._occupations.get(resource, [])
        i = bisect_left(self._starts.get(resource, []), lo - self._longest[resource] - changeover)
        spans = clip(self._blocked[resource], lo, hi)
        for start, end, other in occupations[i:]:
            if start - changeover >= hi:
                break
            pad = changeover if other != family else 0
            spans.append((start - pad, end + pad))
        return merge(spans)

    def zones_without_changeover(self, resource: str) -> list[Span]:
        """Existing occupations and blocked windows of a resource, merged."""
        spans = [(start, end) for start, end, _ in self._occupations.get(resource, [])]
        return merge(spans + self._blocked[resource])

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
        if self._forbidden_cache is None:  # changing timeline: only the part asked for
            over = self._over(d.pool, capacity - d.amount, lo + offset - length, hi + offset + length)
            return _starts_hitting(over, offset, length)
        key = (d.pool, capacity - d.amount, offset, length)
        if key not in self._forbidden_cache:
            over = self._over(d.pool, capacity - d.amount, -INF, INF)
            self._forbidden_cache[key] = _starts_hitting(over, offset, length)
        return clip(self._forbidden_cache[key], lo, hi)


def _starts_hitting(over: list[Span], offset: int, length: int) -> list[Span]:
    """Starts whose demand window [start + offset, + length) meets one of the `over` spans."""
    return merge((a - offset - length + 1, b - offset) for a, b in over)
