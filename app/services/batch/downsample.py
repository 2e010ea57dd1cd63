"""Min/max downsampling for charts: the time range is cut into equal buckets and each bucket keeps its
lowest and its highest point (in time order), so a spike stays visible however far one zooms out."""

import numpy as np


def min_max(times: np.ndarray, values: np.ndarray, max_points: int, start: int, end: int) -> np.ndarray:
    """Indices of at most `max_points` points of the ascending `times` in [start, end): each bucket's extremes."""
    inside = np.flatnonzero((times >= start) & (times < end))
    if len(inside) <= max_points:
        return inside
    buckets = max(max_points // 2, 1)
    bucket = ((times[inside] - start) * buckets // max(end - start, 1)).astype(np.int64)
    edges = np.flatnonzero(np.diff(bucket)) + 1
    starts = np.concatenate(([0], edges))
    lows = np.minimum.reduceat(values[inside], starts)
    highs = np.maximum.reduceat(values[inside], starts)
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(inside))))
    chunk_values = values[inside]
    first_low = _first_where(chunk_values == lows[owner], owner)
    first_high = _first_where(chunk_values == highs[owner], owner)
    keep = np.unique(np.concatenate((first_low, first_high)))
    return inside[keep]


def _first_where(hit: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """For each group, the position of its first hit (every group has one: its own extreme)."""
    positions = np.flatnonzero(hit)
    return positions[np.unique(owner[positions], return_index=True)[1]]
