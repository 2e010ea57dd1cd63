"""Compact chunks of a time series: delta-encoded int64 millisecond times and byte-shuffled float32 values,
each zlib-compressed. A regular 10 s trend costs well under 4 bytes per value (see docs/benchmarks.md).

Values keep float32's seven significant digits, more than any fermenter sensor resolves.
"""

import zlib
from dataclasses import dataclass

import numpy as np

CHUNK_POINTS = 4096


@dataclass(frozen=True)
class Chunk:
    first_ms: int
    last_ms: int
    count: int
    times: bytes
    values: bytes


def encode(times: np.ndarray, values: np.ndarray) -> Chunk:
    """One chunk of ascending int64 millisecond times and their values."""
    deltas = np.diff(times.astype("<i8"), prepend=np.int64(0))
    shuffled = np.ascontiguousarray(values.astype("<f4").view(np.uint8).reshape(-1, 4).T)
    return Chunk(
        int(times[0]),
        int(times[-1]),
        len(times),
        zlib.compress(deltas.tobytes(), 6),
        zlib.compress(shuffled.tobytes(), 6),
    )


def decode(times: bytes, values: bytes, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The chunk's times (int64 ms) and values (float64) back."""
    moments = np.cumsum(np.frombuffer(zlib.decompress(times), dtype="<i8"))
    shuffled = np.frombuffer(zlib.decompress(values), dtype=np.uint8).reshape(4, count)
    return moments, np.ascontiguousarray(shuffled.T).view("<f4").reshape(-1).astype(np.float64)


def chunked(times: np.ndarray, values: np.ndarray, size: int = CHUNK_POINTS) -> list[Chunk]:
    """A whole series as chunks of at most `size` points."""
    return [encode(times[i : i + size], values[i : i + size]) for i in range(0, len(times), size)]
