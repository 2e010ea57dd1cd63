"""Interval sets: every operation agrees with plain Python sets of minutes."""

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.intervals import clip, complement, first_at_or_after, intersect, merge, subtract

spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=8).map(
    merge
)


def members(xs):
    return {t for a, b in xs for t in range(a, b)}


def canonical(xs):
    """Sorted, disjoint, non-touching, non-empty spans: what merge() gives."""
    return all(a < b for a, b in xs) and all(b1 < a2 for (_, b1), (a2, _) in pairwise(xs))


@settings(max_examples=200, deadline=None)
@given(spans, spans)
def test_intersect_and_subtract_are_the_set_operations(xs, ys):
    both, rest = intersect(xs, ys), subtract(xs, ys)
    assert members(both) == members(xs) & members(ys) and canonical(both)
    assert members(rest) == members(xs) - members(ys) and canonical(rest)


@settings(max_examples=200, deadline=None)
@given(spans, st.integers(-2, 50), st.integers(-2, 50))
def test_clip_complement_and_first_at_or_after_match_the_set(xs, lo, hi):
    window = set(range(lo, hi))
    assert members(clip(xs, lo, hi)) == members(xs) & window
    assert members(complement(xs, lo, hi)) == window - members(xs)
    later = [t for t in members(xs) if t >= lo]
    assert first_at_or_after(xs, lo) == (min(later) if later else None)


def test_clip_of_one_span_covering_the_window_is_the_window():
    assert clip([(0, 100)], 10, 20) == [(10, 20)]
    assert clip([(0, 100)], 20, 10) == []
