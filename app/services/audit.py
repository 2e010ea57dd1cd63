"""Writing and reading the audit log."""
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEntry, User


def record(session: Session, actor: User | None, action: str, entity_type: str, entity_id, **details) -> None:
    """Add an audit entry for a change made in this transaction."""
    session.add(AuditEntry(
        user_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=json.dumps(details, ensure_ascii=False, default=str, sort_keys=True),
    ))


def entries_for(session: Session, entity_type: str, entity_id) -> list[AuditEntry]:
    query = (select(AuditEntry)
             .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
             .order_by(AuditEntry.at, AuditEntry.id))
    return list(session.scalars(query))


def recent_entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
