"""Rows by primary key, where an id beyond the database's integers finds nothing instead of failing."""

from sqlalchemy.orm import Session

MAX_ID = 2**31 - 1  # the largest integer id both SQLite and PostgreSQL columns take


def by_id(session: Session, model: type, row_id: int, **get_options):
    """The row of `model` with this id, or None (also for an id no row can have); options go to Session.get."""
    return session.get(model, row_id, **get_options) if 0 < row_id <= MAX_ID else None
