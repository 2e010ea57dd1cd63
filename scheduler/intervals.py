"""Sets of integers as sorted, disjoint, half-open intervals [a, b)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

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
    """Intersection of two sorted disjoint lists (bisecting into the longer one when much longer)."""
    if len(xs) > len(ys):
        xs, ys = ys, xs
    out: list[Span] = []
    if len(ys) > 4 * len(xs):
        for a, b in xs:
            out.extend(clip(ys, a, b))
        return out
    i = j = 0
    while i < len(xs) and j < len(ys):
        (a, b), (c, d) = xs[i], ys[j]
        if a < d and c < b:
            out.append((max(a, c), min(b, d)))
        if b < d:
            i += 1
        else:
            j += 1
    return out


def subtract(xs: list[Span], ys: list[Span]) -> list[Span]:
    """xs minus ys (both sorted disjoint)."""
    if not xs:
        return xs
    lo, hi = xs[0][0], xs[-1][1]
    ys = clip(ys, lo, hi)
    return intersect(xs, complement(ys, lo, hi)) if ys else xs


def shift(spans: list[Span], delta: int) -> list[Span]:
    return [(a + delta, b + delta) for a, b in spans]


def clip(spans: list[Span], lo: int, hi: int) -> list[Span]:
    """The part of sorted disjoint `spans` inside [lo, hi) (two bisections and a slice)."""
    if lo >= hi:
        return []
    i = max(0, bisect_right(spans, (lo, INF)) - 1)
    if i < len(spans) and spans[i][1] <= lo:
        i += 1
    j = bisect_left(spans, (hi, -INF), i)
    if i >= j:
        return []
    out = spans[i:j]
    if out[0][0] < lo:
        out[0] = (lo, out[0][1])
    if out[-1][1] > hi:
        out[-1] = (out[-1][0], hi)
    return out


def first_at_or_after(spans: list[Span], t: int) -> int | None:
    """The smallest member >= t, or None."""
    for i in range(max(0, bisect_right(spans, (t, INF)) - 1), len(spans)):
        a, b = spans[i]
        if b > t:
            return max(a, t)
    return None
