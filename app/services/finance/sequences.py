"""Gap-free number sequences per (prefix, year): invoices, credit notes, subsidy claims."""

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import NumberSequence


def next_in_sequence(session: Session, prefix: str, year: int) -> int:
    """The next number of (prefix, year); the sequence row stays locked until the transaction ends."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(NumberSequence).values(prefix=prefix, year=year, last=0).on_conflict_do_nothing())
    row = session.scalars(
        select(NumberSequence)
        .where(NumberSequence.prefix == prefix, NumberSequence.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    row.last += 1
    session.flush()
    return row.last
