"""Customer groups: a discount on service items for the companies assigned to a group."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Company, CustomerGroup, User
from app.platform.errors import Conflict, NotFound, ValidationFailed
from app.services import audit


def list_groups(session: Session) -> list[CustomerGroup]:
    return list(session.scalars(select(CustomerGroup).order_by(CustomerGroup.name)))


def create_group(session: Session, actor: User, name: str, discount: Decimal) -> CustomerGroup:
    """A new group; `discount` is a fraction off service items (0.1 = 10 %)."""
    name = name.strip()
    problems = {}
    if not name:
        problems["name"] = "请填写分组名称"
    if not Decimal(0) <= discount < Decimal(1) or discount != discount.quantize(Decimal("0.001")):
        problems["discount"] = "折扣须在 0% 至 100% 之间（最多一位小数的百分比）"
    if problems:
        raise ValidationFailed("输入有误，请检查标出的字段", problems)
    if session.scalar(select(CustomerGroup.id).where(CustomerGroup.name == name)):
        raise Conflict("分组名称已存在", {"name": "分组名称已存在"})
    group = CustomerGroup(name=name, discount=discount)
    session.add(group)
    session.flush()
    audit.record(session, actor, "customer_group.created", "customer_group", group.id, name=name, discount=discount)
    return group


def assign(session: Session, actor: User, company_id: int, group_id: int | None) -> Company:
    """Put a company into a group (None: no group, no discount)."""
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound("企业不存在")
    if group_id is not None and session.get(CustomerGroup, group_id) is None:
        raise ValidationFailed("客户分组不存在", {"group_id": "客户分组不存在"})
    old, company.customer_group_id = company.customer_group_id, group_id
    audit.record(session, actor, "company.customer_group", "company", company.id, old=old, new=group_id)
    return company


def discount_for(session: Session, company: Company) -> Decimal:
    """The company's fraction off service items (0 without a group)."""
    if company.customer_group_id is None:
        return Decimal(0)
    return session.get(CustomerGroup, company.customer_group_id).discount
