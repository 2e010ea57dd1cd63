"""Geometry of a server-rendered SVG trend chart (drawn by templates/batch/_trend.html; no scripts, no styles)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 220, 56, 12, 12, 28
TICK_STEPS_H = (1, 2, 3, 6, 12, 24, 48, 96, 168)


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the SVG's coordinates
    label: str


@dataclass(frozen=True)
class Band:
    """A phase: a shaded span of the time axis."""

    x: float
    width: float
    label: str


@dataclass(frozen=True)
class Mark:
    """A sample or a deviation: a vertical mark at its time."""

    x: float
    label: str
    kind: str


@dataclass(frozen=True)
class TrendChart:
    tag: str
    unit: str
    path: str  # an SVG path: the trend as one line ("" when no point is in range)
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    bands: tuple[Band, ...] = ()
    marks: tuple[Mark, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def trend_chart(
    tag: str,
    unit: str,
    times: np.ndarray,
    values: np.ndarray,
    start_ms: int,
    end_ms: int,
    zone: tzinfo,
    phases: tuple[tuple[int, int, str], ...] = (),
    events: tuple[tuple[int, str, str], ...] = (),
) -> TrendChart:
    """A line over [start, end) scaled to the values' range, with local-time and value ticks; phases
    (start ms, end ms, name) as bands and events (ms, label, kind) as marks, where they fall in the range."""
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    span_x, span_y = max(end_ms - start_ms, 1), HEIGHT - TOP - BOTTOM
    xs = LEFT + (times - start_ms) * (WIDTH - LEFT - RIGHT) / span_x
    ys = TOP + (high - values) * span_y / (high - low)
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(zip(xs, ys, strict=True)))
    y_ticks = tuple(
        Tick(TOP + span_y * (1 - share), f"{low + (high - low) * share:.4g}") for share in (0.05, 0.5, 0.95)
    )
    return TrendChart(
        tag,
        unit,
        path,
        _time_ticks(start_ms, end_ms, zone),
        y_ticks,
        _bands(phases, start_ms, end_ms),
        _marks(events, start_ms, end_ms),
    )


def _x(at_ms: float, start_ms: int, end_ms: int) -> float:
    return round(LEFT + (at_ms - start_ms) * (WIDTH - LEFT - RIGHT) / max(end_ms - start_ms, 1), 1)


def _bands(phases, start_ms: int, end_ms: int) -> tuple[Band, ...]:
    bands = []
    for first, last, name in phases:
        first, last = max(first, start_ms), min(last, end_ms)
        if first < last:
            bands.append(
                Band(_x(first, start_ms, end_ms), _x(last, start_ms, end_ms) - _x(first, start_ms, end_ms), name)
            )
    return tuple(bands)


def _marks(events, start_ms: int, end_ms: int) -> tuple[Mark, ...]:
    return tuple(Mark(_x(at, start_ms, end_ms), label, kind) for at, label, kind in events if start_ms <= at < end_ms)


def _time_ticks(start_ms: int, end_ms: int, zone: tzinfo) -> tuple[Tick, ...]:
    """About six ticks on whole local hours; labelled with the date when they fall on midnight."""
    hours = (end_ms - start_ms) / 3_600_000
    step = next((s for s in TICK_STEPS_H if hours / s <= 7), TICK_STEPS_H[-1])
    first = datetime.fromtimestamp(start_ms / 1000, UTC).astimezone(zone)
    first = first.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while first.hour % step and step <= 24:
        first += timedelta(hours=1)
    ticks, moment = [], first
    while (at_ms := moment.timestamp() * 1000) < end_ms:
        ticks.append(Tick(_x(at_ms, start_ms, end_ms), f"{moment:%m-%d}" if moment.hour == 0 else f"{moment:%H:%M}"))
        moment += timedelta(hours=step)
    return tuple(ticks)
