"""Trend chunks give back what was stored (to float32 precision) in little space; downsampling keeps every
bucket's lowest and highest point."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from app.platform.trend_codec import chunked, decode, encode
from app.services.batch.downsample import min_max

times_strategy = st.lists(st.integers(0, 10**12), min_size=1, max_size=300, unique=True).map(
    lambda t: np.array(sorted(t), dtype=np.int64)
)


@given(times_strategy, st.data())
def test_a_chunk_gives_back_its_times_exactly_and_its_values_to_float32(times, data):
    values = data.draw(arrays(np.float64, len(times), elements=st.floats(-1e6, 1e6)))
    chunk = encode(times, values)
    back_times, back_values = decode(chunk.times, chunk.values, chunk.count)
    assert back_times.tolist() == times.tolist()
    assert back_values.tolist() == values.astype(np.float32).astype(np.float64).tolist()
    assert (chunk.first_ms, chunk.last_ms, chunk.count) == (times[0], times[-1], len(times))


def test_a_regular_ten_second_trend_takes_under_four_bytes_a_value():
    rng = np.random.default_rng(7)
    times = 1_772_323_200_000 + 10_000 * np.arange(120_960, dtype=np.int64)
    values = np.round(36.5 + np.cumsum(rng.normal(0, 0.01, len(times))), 2)
    stored = sum(len(c.times) + len(c.values) for c in chunked(times, values))
    assert stored / len(times) < 4


@settings(max_examples=200)
@given(times_strategy, st.data(), st.integers(2, 60))
def test_every_bucket_keeps_its_lowest_and_highest_point(times, data, max_points):
    values = data.draw(arrays(np.float64, len(times), elements=st.floats(-1e3, 1e3)))
    start, end = int(times[0]), int(times[-1]) + 1
    kept = min_max(times, values, max_points, start, end)
    assert len(kept) <= max_points
    assert kept.tolist() == sorted(set(kept.tolist()))
    buckets = max(max_points // 2, 1)
    bucket_of = (times - start) * buckets // (end - start)
    for bucket in np.unique(bucket_of):
        inside = bucket_of == bucket
        kept_values = values[kept][bucket_of[kept] == bucket]
        if len(times) > max_points:
            assert values[inside].min() in kept_values and values[inside].max() in kept_values
    if len(times) <= max_points:
        assert kept.tolist() == list(range(len(times)))


def test_only_points_inside_the_range_are_kept():
    times = np.arange(0, 100, dtype=np.int64)
    kept = min_max(times, times.astype(float), 1000, 10, 20)
    assert times[kept].tolist() == list(range(10, 20))
