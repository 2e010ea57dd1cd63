"""The idle time staffed start hours force into a queue: the daily waits, the least idle over k steps
(checked against every sequence of steps from every start minute), and the line below it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.staffed_idle import DAY, daily_waits, idle_line, least_idle

EIGHT_TO_EIGHT = [(d * DAY + 8 * 60, d * DAY + 20 * 60) for d in range(30)]


def test_waits_count_the_minutes_to_the_next_staffed_start():
    waits = daily_waits(EIGHT_TO_EIGHT, 0)
    assert waits is not None
    assert (waits[8 * 60 - 1], waits[8 * 60], waits[20 * 60 - 1], waits[20 * 60]) == (1, 0, 0, 12 * 60)


def test_a_day_without_staff_changes_nothing_and_windows_before_the_queue_count_not():
    holiday = [w for w in EIGHT_TO_EIGHT if w[0] // DAY != 3]
    assert daily_waits(holiday, 0) == daily_waits(EIGHT_TO_EIGHT, 0)
    late_shift = EIGHT_TO_EIGHT[:2] + [(d * DAY + 14 * 60, d * DAY + 22 * 60) for d in range(2, 30)]
    assert daily_waits(late_shift, 2 * DAY)[14 * 60 - 1] == 1  # 08:00-14:00 no longer staffed
    assert daily_waits(None, 0) is None


def test_a_batch_whose_turnaround_ends_at_night_waits_for_the_morning():
    # 24 h + 14 h: a start at 19:59 frees the vessel at 09:59, the next one at 23:59
    least = least_idle(daily_waits(EIGHT_TO_EIGHT, 0), [38 * 60], 5)
    assert least == [0, 0, 8 * 60 + 1, 18 * 60 + 1, 28 * 60 + 1, 38 * 60 + 1]
    assert idle_line(least) == (456, 456)


def _brute_least(waits, occupations, changeover, count):
    """Every sequence of steps, with or without a changeover each time, from every allowed minute."""
    steps = [(o, 0) for o in occupations] + [(o + changeover, changeover) for o in occupations]
    best = [0] + [None] * count
    frontier = {minute: 0 for minute in range(DAY) if waits[minute] == 0}
    for k in range(1, count + 1):
        after = {}
        for minute, idle in frontier.items():
            for step, extra in steps:
                reach = (minute + step) % DAY
                nxt, cost = (reach + waits[reach]) % DAY, idle + waits[reach] + extra
                after[nxt] = min(after.get(nxt, cost), cost)
        frontier = after
        best[k] = min(after.values())
    return best


windows = st.tuples(st.integers(0, 23), st.integers(1, 24)).map(
    lambda w: [(d * DAY + w[0] * 60, d * DAY + w[0] * 60 + w[1] * 60) for d in range(10)]
)


@settings(max_examples=25, deadline=None)
@given(windows, st.lists(st.integers(1, 80 * 60), min_size=1, max_size=2), st.integers(0, 180))
def test_the_least_idle_is_that_of_the_best_sequence_from_the_best_start(days, occupations, changeover):
    waits = daily_waits(days, 0)
    assert least_idle(waits, occupations, 3) == _brute_least(waits, occupations, changeover, 3)


@settings(max_examples=50, deadline=None)
@given(windows, st.lists(st.integers(1, 80 * 60), min_size=1, max_size=3), st.integers(1, 8))
def test_the_line_stays_under_the_least_idle_also_beyond_the_steps_it_was_drawn_from(days, occupations, drawn):
    least = least_idle(daily_waits(days, 0), occupations, 40)
    slope, offset = idle_line(least[: drawn + 1])
    assert all(slope * k - offset <= idle for k, idle in enumerate(least))
