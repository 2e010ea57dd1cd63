"""Geometry for server-rendered SVG charts (no inline styles or scripts: the CSP forbids them)."""

from dataclasses import dataclass
from decimal import Decimal

from billing import Money


@dataclass(frozen=True)
class Bar:
    label: str
    value: Money
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]


def bar_chart(values: dict[str, Money], width: int = 720, height: int = 220, margin: int = 24) -> BarChart:
    """Vertical bars scaled to the largest value; negative values draw as empty bars."""
    top = max((value.amount for value in values.values()), default=Decimal(0))
    slot = (width - 2 * margin) / max(len(values), 1)
    plot = height - 2 * margin
    bars = []
    for index, (label, value) in enumerate(values.items()):
        share = float(max(value.amount, Decimal(0)) / top) if top > 0 else 0.0
        bar_height = round(plot * share, 1)
        bars.append(
            Bar(
                label,
                value,
                round(margin + index * slot + slot * 0.15, 1),
                round(margin + plot - bar_height, 1),
                round(slot * 0.7, 1),
                bar_height,
            )
        )
    return BarChart(width, height, margin + plot, tuple(bars))


def share_of(part: Money, whole: Money) -> float:
    """part / whole between 0 and 1 (for a progress bar)."""
    if whole.amount <= 0:
        return 0.0
    return float(min(max(part.amount / whole.amount, Decimal(0)), Decimal(1)))
