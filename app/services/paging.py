"""One page of a long list: the rows, which page it is and how many there are."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    items: list
    number: int  # from 1
    pages: int
    total: int


def page_of(session: Session, query: Select, number: int, per_page: int = PER_PAGE) -> Page:
    """Page `number` of an ordered query's rows; a number past either end shows the nearest page."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    items = list(session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, number, pages, total)
