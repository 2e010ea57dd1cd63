"""How much idle time staffed start hours force into a queue of batches on one resource.

When starts must fall in staffed windows, a batch that ends (turnaround included) outside them leaves
the resource idle until the next window opens. Whatever the order, the k-th start of a queue comes at
least `least_idle(k)` minutes after its first start plus the occupations in between; the least is
found by a dynamic programme over the time of day, drawing each step from the queue's own
occupations, each as often as wanted, and taking each next start as early as allowed (the earliest
next start never comes later for an earlier start, so from a given first start the earliest chain
has the least idle before every start). `idle_line` turns that into a straight line below it, the
form the gap bound can charge pairwise; the line holds for queues of any length because idle time
adds up: the idle of m1 + m2 steps is at least that of m1 steps plus the least idle of m2 steps from
any time of day.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.intervals import Span

DAY = 24 * 60
NEVER = 2**62


def daily_waits(windows: Sequence[Span] | None, opens: int) -> list[int] | None:
    """Per minute of the day, the minutes until a minute of the day at which some window from `opens`
    on allows a start; None when starts are never restricted. Every start lies in a window, so its
    minute of the day is one of those (days without a window only make real waits longer)."""
    if windows is None:
        return None
    shapes = {(a % DAY, min(b - a, DAY)) for a, b in windows if b > opens}
    if not shapes:
        return None
    allowed = [False] * DAY
    for first, length in shapes:
        for minute in range(first, first + length):
            allowed[minute % DAY] = True
    waits = [0] * DAY
    following = allowed.index(True) + DAY  # the first allowed minute of the next day
    for minute in range(DAY - 1, -1, -1):
        following = minute if allowed[minute] else following
        waits[minute] = following - minute
    return waits


def least_idle(waits: Sequence[int], occupations: Sequence[int], count: int) -> list[int]:
    """least[k]: the least idle time over k steps of a queue, a step being one of `occupations`
    (duration + turnaround), every start at an allowed minute (least[0] = 0). A changeover between
    families only adds idle time (from where it ends, the wait is never shorter than from where the
    occupation ends plus the changeover), so steps without one give the least."""
    allowed = [minute for minute in range(DAY) if waits[minute] == 0]
    index = {minute: i for i, minute in enumerate(allowed)}
    moves = []
    for step in {o % DAY for o in occupations}:
        reached = [(minute + step) % DAY for minute in allowed]
        moves.append([(index[(r + waits[r]) % DAY], waits[r]) for r in reached])
    best, least = [0] * len(allowed), [0]
    for _ in range(count):
        after = [NEVER] * len(allowed)
        for move in moves:
            for i, (target, idle) in enumerate(move):
                if best[i] + idle < after[target]:
                    after[target] = best[i] + idle
        best = after
        least.append(min(best))
    return least


def idle_line(least: Sequence[int]) -> tuple[int, int]:
    """(slope, offset) with slope·k - offset at most the least idle of k steps for every k, also
    beyond the last computed: the slope is the last point's average per step, and the offset covers
    the computed points (k = q·M + r steps idle at least q·least[M] + least[r])."""
    steps = len(least) - 1
    if steps < 1 or least[-1] == 0:
        return 0, 0
    slope = least[-1] // steps
    return slope, max(0, max(slope * k - value for k, value in enumerate(least)))
