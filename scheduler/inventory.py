"""Inventory and requests as the booking system sees them, and which vessels fit (with reasons)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scheduler.model import Window

Kind = Literal["liquid", "solid", "downstream"]
KIND_NAMES = {"liquid": "液体发酵罐", "solid": "固态发酵罐", "downstream": "下游/提取设备"}
NOMINAL_RANGE_L = {"liquid": (30, 20_000), "solid": (75, 15_000)}
DEFAULT_WORKING_SHARE = {"liquid": (0.30, 0.70), "solid": (0.20, 0.60)}


class NoFit(ValueError):
    """No vessel can take the request; the message says why (in Chinese, for the UI)."""


@dataclass(frozen=True)
class Vessel:
    """A fermenter or downstream unit. Working volumes default to the kind's share of nominal."""

    code: str
    kind: Kind
    nominal_volume_l: float = 0
    min_working_volume_l: float | None = None
    max_working_volume_l: float | None = None
    turnaround_h: float = 0
    changeover_h: float = 0
    biosafety_level: int = 1
    status: Literal["active", "maintenance", "retired"] = "active"
    throughput_l_per_h: float | None = None
    unit: str | None = None
    maintenance: Sequence[Window] = ()

    def __post_init__(self) -> None:
        if self.kind in NOMINAL_RANGE_L:
            lo, hi = NOMINAL_RANGE_L[self.kind]
            if not lo <= self.nominal_volume_l <= hi:
                raise ValueError(
                    f"{self.code}: {KIND_NAMES[self.kind]}的公称容积须在 {litres(lo)} 至 "
                    f"{litres(hi)} 之间，而不是 {litres(self.nominal_volume_l)}"
                )
        elif self.kind == "downstream":
            if not self.throughput_l_per_h or self.throughput_l_per_h <= 0:
                raise ValueError(f"{self.code}: 下游设备需要正的处理量（L/h）")
        else:
            raise ValueError(f"{self.code}: unknown kind {self.kind!r}")

    @property
    def working_window(self) -> tuple[float, float]:
        """(min, max) working volume in litres."""
        low, high = DEFAULT_WORKING_SHARE.get(self.kind, (0.0, 1.0))
        lo = self.min_working_volume_l if self.min_working_volume_l is not None else low * self.nominal_volume_l
        hi = self.max_working_volume_l if self.max_working_volume_l is not None else high * self.nominal_volume_l
        return lo, hi


def litres(volume: float) -> str:
    return f"{volume:,.0f} L" if float(volume).is_integer() else f"{volume:,.1f} L"


def minutes(hours: float) -> int:
    """Hours as whole minutes, rounded up."""
    return math.ceil(round(hours * 60, 6))


def fitting_vessels(
    vessels: Sequence[Vessel], kind: Kind, volume_l: float, biosafety_level: int, purpose: str = ""
) -> list[Vessel]:
    """Active vessels of `kind` whose working window holds `volume_l`, smallest first; NoFit if none."""
    what = purpose + KIND_NAMES[kind]
    of_kind = [v for v in vessels if v.kind == kind]
    if not of_kind:
        raise NoFit(f"平台没有{what}")
    active = [v for v in of_kind if v.status == "active"]
    if not active:
        raise NoFit(f"所有{what}都在维护或已停用")
    safe = [v for v in active if v.biosafety_level >= biosafety_level]
    if not safe:
        top = max(v.biosafety_level for v in active)
        raise NoFit(f"没有生物安全等级达到 BSL-{biosafety_level} 的可用{what}（最高为 BSL-{top}）")
    fits = [v for v in safe if v.working_window[0] <= volume_l <= v.working_window[1]]
    if not fits:
        raise NoFit(_volume_reason(safe, what, volume_l))
    return sorted(fits, key=lambda v: (v.nominal_volume_l, v.code))


def _volume_reason(vessels: Sequence[Vessel], what: str, volume_l: float) -> str:
    largest = max(v.working_window[1] for v in vessels)
    smallest = min(v.working_window[0] for v in vessels)
    if volume_l > largest:
        return f"没有{what}能装 {litres(volume_l)}：可用的最大工作体积为 {litres(largest)}"
    if volume_l < smallest:
        return f"{litres(volume_l)} 低于所有可用{what}的最小工作体积（最小为 {litres(smallest)}）"
    below = max((v.working_window[1] for v in vessels if v.working_window[1] < volume_l), default=smallest)
    above = min((v.working_window[0] for v in vessels if v.working_window[0] > volume_l), default=largest)
    return (
        f"{litres(volume_l)} 落在可用{what}的工作体积空档中"
        f"（较小的罐最多 {litres(below)}，较大的罐至少 {litres(above)}）"
    )


def fitting_units(vessels: Sequence[Vessel], biosafety_level: int, unit: str | None, code: str | None) -> list[Vessel]:
    """Active downstream units matching the unit kind or code, fastest first; NoFit if none."""
    candidates = [
        v
        for v in vessels
        if v.kind == "downstream" and (unit is None or v.unit == unit) and (code is None or v.code == code)
    ]
    named = code or unit or ""
    if not candidates:
        raise NoFit(f"平台没有下游设备 {named}".rstrip())
    active = [v for v in candidates if v.status == "active"]
    if not active:
        raise NoFit(f"下游设备 {named} 都在维护或已停用".replace("  ", " "))
    safe = [v for v in active if v.biosafety_level >= biosafety_level]
    if not safe:
        raise NoFit(f"没有生物安全等级达到 BSL-{biosafety_level} 的可用下游设备 {named}".rstrip())
    return sorted(safe, key=lambda v: (-(v.throughput_l_per_h or 0), v.code))
