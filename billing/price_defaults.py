"""A realistic starting price list for a Chinese open pilot fermentation platform (seeds the demo).

Prices are tax-exclusive CNY. Vessel time is per day; CIP/SIP per batch; utilities, operators,
downstream units and analyses per unit used. All are R&D/technical services at 6 % VAT; steam and
power used by the service are part of it. Materials at cost (13 %, not service revenue) are priced
per booking, with a 10 % handling fee; cancelling within the notice period costs 20 % of the quote.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing.money import Money
from billing.pricing import DAY, DOWNSTREAM_CLASS, HOUR, CancellationTerms, Category, PriceItem, PriceList

# vessel class: (daily rate, CIP/SIP per batch, name)
_VESSELS = {
    "liquid-≤100L": ("800.00", "300.00", "液体发酵罐（30–100 L）"),
    "liquid-200L-1m3": ("2500.00", "800.00", "液体发酵罐（200 L–1 m³）"),
    "liquid-2-5m3": ("6000.00", "1500.00", "液体发酵罐（2–5 m³）"),
    "liquid-10-20m3": ("12000.00", "3000.00", "液体发酵罐（10–20 m³）"),
    "solid-≤100L": ("700.00", "300.00", "固态发酵罐（75–100 L）"),
    "solid-200L-1m3": ("2000.00", "700.00", "固态发酵罐（200 L–1 m³）"),
    "solid-2-5m3": ("5000.00", "1400.00", "固态发酵罐（2–5 m³）"),
    "solid-10-15m3": ("10000.00", "2800.00", "固态发酵罐（10–15 m³）"),
}


def _vessel_items() -> list[PriceItem]:
    items = []
    for number, (key, (daily, cleaning, name)) in enumerate(_VESSELS.items(), start=1):
        items.append(PriceItem(f"V{number:02d}", f"{name}使用费", Category.VESSEL_TIME, DAY, Money(daily), key))
        items.append(
            PriceItem(f"C{number:02d}", f"{name} CIP/SIP 清洗灭菌费", Category.CIP_SIP, "批", Money(cleaning), key)
        )
    return items


def default_price_list(effective_from: date) -> PriceList:
    """The default price list, in force from `effective_from`."""
    items = _vessel_items() + [
        PriceItem("D01", "下游提取设备使用费", Category.DOWNSTREAM, HOUR, Money("450.00"), DOWNSTREAM_CLASS),
        PriceItem("P01", "操作人员工时费", Category.OPERATOR, HOUR, Money("150.00")),
        PriceItem("U01", "蒸汽", Category.STEAM, "吨", Money("280.00")),
        PriceItem("U02", "电力", Category.POWER, "千瓦时", Money("0.85")),
        PriceItem("A01", "样品分析检测费", Category.ANALYSIS, "样", Money("200.00")),
    ]
    return PriceList(
        effective_from,
        tuple(items),
        name=f"中试平台服务价目表（{effective_from.isoformat()} 起执行）",
        cancellation=CancellationTerms(rate=Decimal("0.20")),
    )
