"""Writing and reading the audit log."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import AuditEntry, User
from app.services.paging import Page, page_of


def record(session: Session, actor: User | None, action: str, entity_type: str, entity_id, **details) -> None:
    """Add an audit entry for a change made in this transaction."""
    session.add(
        AuditEntry(
            user_id=actor.id if actor is not None else None,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True),
        )
    )


def entries_for(session: Session, entity_type: str, entity_id) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(query))


def entry_page(session: Session, number: int, entity_type: str | None = None) -> Page:
    """One page of the log, newest first, optionally of one kind of record."""
    query = select(AuditEntry).options(selectinload(AuditEntry.user)).order_by(AuditEntry.id.desc())
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    return page_of(session, query, number)


def entity_types(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)))
