"""A working copy of a problem's fixed work that the list schedulers add placements to."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence

from scheduler.elements import Assignment, Job
from scheduler.fixed_work import FixedWork, Occupancy, Occupation, Usage
from scheduler.intervals import INF, Span, merge


class Timeline(Occupancy):
    """The index `fixed` plus the stages added since (its lists are shared until a resource or pool changes)."""

    def __init__(self, fixed: FixedWork) -> None:
        self._fixed = fixed
        self._changed = False  # until then, the index answers (and keeps) the pool queries
        self.resources, self.windows, self.capacity = fixed.resources, fixed.windows, fixed.capacity
        self._blocked = fixed._blocked
        self._occupations: dict[str, Sequence[Occupation]] = dict(fixed._occupations)
        self._starts: dict[str, Sequence[int]] = dict(fixed._starts)
        self._longest: dict[str, int] = dict(fixed._longest)
        self._usage: dict[str, Usage] = dict(fixed._usage)
        self._over_cache = {}
        self._own_occupations: dict[str, list[Occupation]] = {}
        self._own_usage: dict[str, tuple[list[int], list[int]]] = {}

    def add(self, a: Assignment, job: Job) -> None:
        """Record a newly placed stage."""
        self._changed = True
        turnaround = self.resources[a.resource].turnaround
        end = a.end + turnaround
        occupations = self._owned_occupations(a.resource)
        insort(occupations, (a.start, end, job.family))
        self._starts[a.resource] = [o[0] for o in occupations]
        self._longest[a.resource] = max(self._longest[a.resource], end - a.start)
        for d in job.stages[a.stage].demands:
            begin, finish = d.window(a.start, a.end, turnaround)
            if finish > begin and d.amount:
                self._add_usage(d.pool, begin, finish, d.amount)

    def _owned_occupations(self, resource: str) -> list[Occupation]:
        """The resource's occupations as this copy's own list (copied from the index when first changed)."""
        if resource not in self._own_occupations:
            self._own_occupations[resource] = list(self._occupations[resource])
            self._occupations[resource] = self._own_occupations[resource]
        return self._own_occupations[resource]

    def _add_usage(self, pool: str, begin: int, finish: int, amount: int) -> None:
        if pool not in self._own_usage:
            times, levels = self._usage[pool]
            self._usage[pool] = self._own_usage[pool] = (list(times), list(levels))
        times, levels = self._own_usage[pool]
        for t in (begin, finish):
            i = bisect_right(times, t) - 1
            if times[i] != t:
                times.insert(i + 1, t)
                levels.insert(i + 1, levels[i])
        for i in range(bisect_left(times, begin), bisect_left(times, finish)):
            levels[i] += amount
        self._refresh_over(pool, begin, finish)

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

    def _forbidden(self, pool: str, threshold: int, offset: int, length: int, lo: int, hi: int) -> list[Span]:
        if not self._changed:
            return self._fixed._forbidden(pool, threshold, offset, length, lo, hi)
        return super()._forbidden(pool, threshold, offset, length, lo, hi)
