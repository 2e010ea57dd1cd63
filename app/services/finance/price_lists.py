"""Price lists in the database: storing a `billing.PriceList`, reading one back, versions and draft edits.

A version whose `effective_from` (local date) is still in the future is a draft: finance may change its
item prices until it takes effect. A version in force (or past) is frozen, because quotes and invoices
were priced from it.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

import billing
from app.models import PriceItem, PriceList, User
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.services import audit
from app.services.rows import by_id

DEFAULT_EFFECTIVE_FROM = date(2026, 1, 1)
MAX_PRICE = Decimal("100000000")


def store_price_list(session: Session, price_list: billing.PriceList) -> PriceList:
    """A new PriceList row (with its items) holding `price_list`."""
    terms = price_list.cancellation
    row = PriceList(
        name=price_list.name or f"价目表（{price_list.effective_from.isoformat()} 起执行）",
        effective_from=price_list.effective_from,
        handling_rate=price_list.handling_rate,
        materials_tax_rate=price_list.materials_tax_rate,
        cancellation_rate=terms.rate,
        cancellation_fixed_fee=terms.fixed_fee.amount if terms.fixed_fee else None,
        cancellation_tax_rate=terms.tax_rate,
        cancellation_is_service=terms.is_service,
        vessel_day_step=price_list.vessel_day_step,
    )
    row.items = [
        PriceItem(
            code=item.code,
            name=item.name,
            category=item.category.value,
            key=item.key,
            unit=item.unit,
            unit_price=item.unit_price.amount,
            tax_rate=item.tax_rate,
            is_service=item.is_service,
        )
        for item in price_list.items
    ]
    session.add(row)
    session.flush()
    return row


def ensure_default_price_list(session: Session, effective_from: date = DEFAULT_EFFECTIVE_FROM) -> PriceList:
    """The stored default price list from `effective_from`, stored first if missing (idempotent)."""
    row = session.scalar(select(PriceList).where(PriceList.effective_from == effective_from))
    return row or store_price_list(session, billing.default_price_list(effective_from))


def to_core(row: PriceList) -> billing.PriceList:
    """The pure-core price list of a stored version."""
    fixed = billing.Money(row.cancellation_fixed_fee) if row.cancellation_fixed_fee is not None else None
    terms = billing.CancellationTerms(
        rate=row.cancellation_rate,
        fixed_fee=fixed,
        tax_rate=row.cancellation_tax_rate,
        is_service=row.cancellation_is_service,
    )
    items = tuple(
        billing.PriceItem(
            item.code,
            item.name,
            item.category,
            item.unit,
            billing.Money(item.unit_price),
            item.key,
            item.tax_rate,
            item.is_service,
        )
        for item in row.items
    )
    return billing.PriceList(
        row.effective_from,
        items,
        name=row.name,
        handling_rate=row.handling_rate,
        materials_tax_rate=row.materials_tax_rate,
        cancellation=terms,
        vessel_day_step=row.vessel_day_step,
    )


def list_price_lists(session: Session) -> list[PriceList]:
    return list(session.scalars(select(PriceList).order_by(PriceList.effective_from.desc())))


def price_list_row(session: Session, price_list_id: int) -> PriceList:
    row = by_id(session, PriceList, price_list_id)
    if row is None:
        raise NotFound("价目表不存在")
    return row


def row_in_force(session: Session, day: date) -> PriceList:
    """The version in force on the local date `day`: the latest one taking effect on or before it."""
    row = session.scalar(
        select(PriceList).where(PriceList.effective_from <= day).order_by(PriceList.effective_from.desc()).limit(1)
    )
    if row is None:
        raise ValidationFailed(f"{day.isoformat()} 没有生效的价目表", {"price_list": "没有生效的价目表"})
    return row


def in_force(session: Session, day: date) -> tuple[PriceList, billing.PriceList]:
    """The stored version in force on `day` and its pure-core form."""
    row = row_in_force(session, day)
    return row, to_core(row)


def is_draft(row: PriceList, today: date) -> bool:
    """Whether the version has not taken effect yet (and so may still be edited)."""
    return row.effective_from > today


def new_version(session: Session, actor: User, effective_from: date, today: date) -> PriceList:
    """A draft copy of the version in force today, taking effect on the future date `effective_from`."""
    if effective_from <= today:
        raise ValidationFailed("新版本的生效日期须晚于今天", {"effective_from": "生效日期须晚于今天"})
    if session.scalar(select(PriceList.id).where(PriceList.effective_from == effective_from)):
        raise Conflict("该日期已有价目表版本", {"effective_from": "该日期已有价目表版本"})
    source = to_core(row_in_force(session, today))
    name = f"中试平台服务价目表（{effective_from.isoformat()} 起执行）"
    row = store_price_list(
        session,
        billing.PriceList(
            effective_from,
            source.items,
            name=name,
            handling_rate=source.handling_rate,
            materials_tax_rate=source.materials_tax_rate,
            cancellation=source.cancellation,
            vessel_day_step=source.vessel_day_step,
        ),
    )
    audit.record(session, actor, "price_list.created", "price_list", row.id, effective_from=effective_from)
    return row


def price_item(session: Session, item_id: int) -> PriceItem:
    item = by_id(session, PriceItem, item_id)
    if item is None:
        raise NotFound("价目项不存在")
    return item


def set_item_price(session: Session, actor: User, item: PriceItem, unit_price: Decimal, today: date) -> None:
    """Change one item's price on a draft version."""
    if not is_draft(item.price_list, today):
        raise Conflict("已生效的价目表不可修改，请新建版本", {"unit_price": "已生效的价目表不可修改"})
    if not (Decimal(0) <= unit_price < MAX_PRICE) or unit_price != unit_price.quantize(billing.FEN):
        raise ValidationFailed("单价须为非负金额，最多两位小数", {"unit_price": "单价须为非负金额，最多两位小数"})
    old, item.unit_price = item.unit_price, unit_price
    audit.record(
        session, actor, "price_item.price", "price_list", item.price_list_id, code=item.code, old=old, new=unit_price
    )
