"""Inventory rules: which fermenter sizes and working-volume windows the plant accepts."""

from dataclasses import dataclass

from scheduler.inventory import DEFAULT_WORKING_SHARE, KIND_NAMES, NOMINAL_RANGE_L


@dataclass(frozen=True)
class EquipmentSpec:
    kind: str
    nominal_volume_l: float
    min_working_volume_l: float | None = None
    max_working_volume_l: float | None = None
    turnaround_h: float = 0.0
    changeover_h: float = 0.0
    biosafety_level: int = 1
    throughput_l_per_h: float | None = None


def default_working_window(kind: str, nominal_volume_l: float) -> tuple[float, float]:
    low, high = DEFAULT_WORKING_SHARE.get(kind, (0.0, 1.0))
    return round(nominal_volume_l * low, 1), round(nominal_volume_l * high, 1)


def equipment_problems(spec: EquipmentSpec) -> dict[str, str]:
    """Field → message (Chinese) for every rule the spec breaks; empty when acceptable."""
    problems: dict[str, str] = {}
    if spec.kind not in KIND_NAMES:
        return {"kind": "设备类型应为 liquid、solid 或 downstream"}
    if spec.nominal_volume_l <= 0:
        problems["nominal_volume_l"] = "公称容积必须大于0"
    elif spec.kind in NOMINAL_RANGE_L:
        low, high = NOMINAL_RANGE_L[spec.kind]
        if not low <= spec.nominal_volume_l <= high:
            problems["nominal_volume_l"] = (
                f"{KIND_NAMES[spec.kind]}的公称容积须在 {low:,.0f} L 至 {high:,.0f} L 之间，"
                f"{spec.nominal_volume_l:,.0f} L 不在范围内"
            )
    problems.update(_working_window_problems(spec))
    if spec.turnaround_h < 0:
        problems["turnaround_h"] = "周转时间不能为负数"
    if spec.changeover_h < 0:
        problems["changeover_h"] = "换产时间不能为负数"
    if spec.biosafety_level not in (1, 2, 3):
        problems["biosafety_level"] = "生物安全等级应为1、2或3"
    if spec.kind == "downstream" and not (spec.throughput_l_per_h or 0) > 0:
        problems["throughput_l_per_h"] = "下游设备须填写大于0的处理能力（L/h）"
    return problems


def _working_window_problems(spec: EquipmentSpec) -> dict[str, str]:
    low, high = spec.min_working_volume_l, spec.max_working_volume_l
    if low is None or high is None:
        return {}
    if low <= 0:
        return {"min_working_volume_l": "最小工作体积必须大于0"}
    if low > high:
        return {"min_working_volume_l": f"最小工作体积（{low:g} L）不能大于最大工作体积（{high:g} L）"}
    if spec.nominal_volume_l > 0 and high > spec.nominal_volume_l:
        return {"max_working_volume_l": f"最大工作体积（{high:g} L）不能超过公称容积（{spec.nominal_volume_l:g} L）"}
    return {}
