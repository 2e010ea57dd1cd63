"""Sets of integers as sorted, disjoint, half-open intervals [a, b)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

Span = tuple[int, int]
INF = 10**15


def merge(spans: Iterable[Span]) -> list[Span]:
    """Union of possibly overlapping spans, as a sorted disjoint list (touching spans join)."""
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def complement(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """The parts of [lo, hi) not covered by sorted disjoint `spans`."""
    out: list[Span] = []
    cursor = lo
    for a, b in spans:
        if b <= cursor:
            continue
        if a >= hi:
            break
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < hi:
        out.append((cursor, hi))
    return out


def intersect(xs: list[Span], ys: list[Span]) -> list[Span]:
    """Intersection of two sorted disjoint lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if a < b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(xs: list[Span], ys: list[Span]) -> list[Span]:
    """xs minus ys (both sorted disjoint)."""
    if not ys or not xs:
        return xs
    return intersect(xs, complement(ys, xs[0][0], xs[-1][1]))


def shift(spans: list[Span], delta: int) -> list[Span]:
    return [(a + delta, b + delta) for a, b in spans]


def clip(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """The part of sorted disjoint `spans` inside [lo, hi)."""
    out = []
    for i in range(max(0, bisect_right(spans, (lo, INF)) - 1), len(spans)):
        a, b = spans[i]
        if a >= hi:
            break
        a, b = max(a, lo), min(b, hi)
        if a < b:
            out.append((a, b))
    return out


def first_at_or_after(spans: list[Span], t: int) -> int | None:
    """The smallest member >= t, or None."""
    for i in range(max(0, bisect_right(spans, (t, INF)) - 1), len(spans)):
        a, b = spans[i]
        if b > t:
            return max(a, t)
    return None
