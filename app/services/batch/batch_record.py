"""The batch record: operators add entries while the batch runs; sign-off and QA review are electronic
signatures (the signer's password again; who, when, what it means); after sign-off, corrections are signed
addenda. The database refuses any other change to a signed record (triggers of migration 0007)."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash

from app.models import BatchEntry, BatchSignature, Booking, EntryKind, Meaning, User
from app.platform.errors import Conflict, Forbidden, ValidationFailed, require_valid
from app.services import audit
from app.services.access import policy
from app.services.batch import acceptance
from app.services.booking.bookings import locked
from app.services.booking.lifecycle import FINISHED, RAN

SEVERITIES = ("minor", "major", "critical")
STATEMENTS = {
    Meaning.SIGNOFF: "操作员签署：本人确认本批记录真实、完整",
    Meaning.REVIEW: "QA 复核：本人已复核本批记录",
    Meaning.ADDENDUM: "补充记录签署：本人确认本更正",
}


@dataclass(frozen=True)
class EntryInput:
    kind: str
    name: str = ""
    at: datetime | None = None
    until: datetime | None = None
    lot: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    values: dict[str, float] = field(default_factory=dict)
    impact: str = ""
    action: str = ""
    severity: str = ""


@dataclass
class BatchRecord:
    """The record as shown: current entries per kind, what each addendum replaced, and the signatures."""

    entries: dict[EntryKind, list[BatchEntry]]
    superseded: list[BatchEntry]  # entries an addendum corrected, as they were
    replacement: dict[int, BatchEntry]  # superseded entry id → the addendum entry that replaced it
    signatures: list[BatchSignature]

    def signed(self, meaning: Meaning) -> BatchSignature | None:
        return next((s for s in self.signatures if s.meaning == meaning), None)

    @property
    def assay_columns(self) -> list[tuple[str, str]]:
        return [(e.name, details(e).get("unit", "")) for e in self.entries[EntryKind.ASSAY]]


def details(entry: BatchEntry) -> dict:
    return json.loads(entry.detail)


def record_of(session: Session, booking: Booking) -> BatchRecord:
    entries = list(
        session.scalars(
            select(BatchEntry)
            .where(BatchEntry.booking_id == booking.id)
            .options(selectinload(BatchEntry.created_by), selectinload(BatchEntry.signature))
            .order_by(BatchEntry.at.is_(None), BatchEntry.at, BatchEntry.id)
        )
    )
    replacement = {e.supersedes_id: e for e in entries if e.supersedes_id is not None}
    by_kind = {kind: [e for e in entries if e.kind == kind and e.id not in replacement] for kind in EntryKind}
    signatures = list(
        session.scalars(
            select(BatchSignature)
            .where(BatchSignature.booking_id == booking.id)
            .options(selectinload(BatchSignature.signed_by))
            .order_by(BatchSignature.id)
        )
    )
    return BatchRecord(by_kind, [e for e in entries if e.id in replacement], replacement, signatures)


def add_entry(session: Session, actor: User, booking: Booking, entry: EntryInput, phases: list[str]) -> BatchEntry:
    """An entry while the record is open (not yet signed off)."""
    record = _open_record(session, actor, booking)
    if record.signed(Meaning.SIGNOFF):
        raise Conflict("批记录已签署，只能以签署的补充记录更正")
    row = _entry_row(actor, booking, entry, record, phases)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "batch_entry_added", "booking", booking.id, entry=row.id, kind=row.kind.value, name=row.name
    )
    return row


def add_addendum(
    session: Session,
    actor: User,
    booking: Booking,
    entry: EntryInput,
    supersedes: int | None,
    reason: str,
    password: str,
    now: datetime,
    phases: list[str],
    acceptance_days: int,
) -> BatchEntry:
    """A correction of a signed record: a new entry (replacing one, or added) under its own signature; a customer
    who disputed the batch is asked again."""
    record = _open_record(session, actor, booking)
    if not record.signed(Meaning.SIGNOFF):
        raise Conflict("批记录尚未签署，可直接修改记录")
    if not reason.strip():
        raise ValidationFailed("请填写更正原因", {"reason": "必填"})
    old = session.get(BatchEntry, supersedes) if supersedes is not None else None
    if supersedes is not None and (
        old is None or old.booking_id != booking.id or old.kind.value != entry.kind or old.id in record.replacement
    ):
        raise ValidationFailed("要更正的记录不存在、类型不同或已被更正", {"supersedes": "无效"})
    row = _entry_row(actor, booking, entry, record, phases)
    signature = _signature(session, actor, booking, Meaning.ADDENDUM, password, now, reason.strip())
    row.signature_id, row.supersedes_id = signature.id, supersedes
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "batch_addendum_signed",
        "booking",
        booking.id,
        entry=row.id,
        supersedes=supersedes,
        reason=reason.strip(),
        signature=signature.id,
    )
    acceptance.ask_again_if_disputed(session, actor, booking, now, acceptance_days)
    return row


def sign(
    session: Session, actor: User, booking: Booking, meaning: str, password: str, now: datetime, acceptance_days: int
) -> BatchSignature:
    """Operator sign-off (a completed batch; the customer is then asked to accept it within `acceptance_days`)
    or QA review (by someone other than the one who signed off)."""
    if meaning not in (Meaning.SIGNOFF, Meaning.REVIEW):
        raise ValidationFailed(
            "签名须为签署（signoff）或复核（review）；补充记录随更正一起签署", {"meaning": "signoff or review"}
        )
    record = _open_record(session, actor, booking)
    signoff = record.signed(Meaning.SIGNOFF)
    if meaning == Meaning.SIGNOFF:
        if booking.status not in FINISHED:
            raise Conflict("批次完成后才能签署批记录")
        if signoff:
            raise Conflict("批记录已签署")
    else:
        if not signoff:
            raise Conflict("批记录签署后才能复核")
        if record.signed(Meaning.REVIEW):
            raise Conflict("批记录已复核")
        if signoff.signed_by_id == actor.id:
            raise Conflict("复核须由签署人以外的人完成")
    signature = _signature(session, actor, booking, Meaning(meaning), password, now)
    audit.record(
        session,
        actor,
        f"batch_record_{signature.meaning.value}",
        "booking",
        booking.id,
        signature=signature.id,
        statement=signature.statement,
    )
    if signature.meaning == Meaning.SIGNOFF:
        acceptance.ask(session, actor, booking, now, acceptance_days)
    return signature


def _open_record(session: Session, actor: User, booking: Booking) -> BatchRecord:
    if not policy.may(actor, "batch.record"):
        raise Forbidden("只有操作员可以填写和签署批记录")
    if locked(session, booking).status not in RAN:
        raise Conflict("批次开始后才能填写批记录")
    return record_of(session, booking)


def _signature(
    session, actor: User, booking: Booking, meaning: Meaning, password: str, now: datetime, reason: str = ""
) -> BatchSignature:
    if not check_password_hash(actor.password_hash, password or ""):
        raise ValidationFailed("密码不正确，签名未生效", {"password": "密码不正确"})
    signature = BatchSignature(
        booking_id=booking.id,
        meaning=meaning,
        statement=STATEMENTS[meaning],
        reason=reason,
        signed_by_id=actor.id,
        signed_at=now,
    )
    session.add(signature)
    session.flush()
    return signature


def _entry_row(actor: User, booking: Booking, entry: EntryInput, record: BatchRecord, phases: list[str]) -> BatchEntry:
    try:
        kind = EntryKind(entry.kind)
    except ValueError:
        raise ValidationFailed("未知的记录类型", {"kind": "phase, material, assay, sample or deviation"}) from None
    require_valid(_problems(kind, entry, record, phases))
    return BatchEntry(
        booking_id=booking.id,
        kind=kind,
        at=entry.at,
        until=entry.until,
        name=entry.name.strip(),
        detail=json.dumps(_detail(kind, entry), ensure_ascii=False),
        created_by_id=actor.id,
    )


def _problems(kind: EntryKind, entry: EntryInput, record: BatchRecord, phases: list[str]) -> dict[str, str]:
    problems = {}
    if kind in (EntryKind.PHASE, EntryKind.SAMPLE, EntryKind.DEVIATION) and entry.at is None:
        problems["at"] = "请填写时间"
    if entry.until is not None and entry.at is not None and entry.until <= entry.at:
        problems["until"] = "结束时间须晚于开始时间"
    if kind != EntryKind.SAMPLE and not entry.name.strip():
        problems["name"] = "必填"
    if kind == EntryKind.PHASE and entry.name.strip() not in phases:
        problems["name"] = "阶段须为：" + "、".join(phases)
    if kind == EntryKind.MATERIAL and not entry.lot.strip():
        problems["lot"] = "请填写批号"
    if entry.quantity is not None and entry.quantity < 0:
        problems["quantity"] = "不能为负数"
    if kind == EntryKind.ASSAY and entry.name.strip() in dict(record.assay_columns):
        problems["name"] = "已有同名的化验项目"
    if kind == EntryKind.SAMPLE:
        unknown = set(entry.values) - set(dict(record.assay_columns))
        if not entry.values or unknown:
            problems["values"] = "请按已定义的化验项目填写数值" + (
                f"（未定义：{'、'.join(sorted(unknown))}）" if unknown else ""
            )
    if kind == EntryKind.DEVIATION and entry.severity not in SEVERITIES:
        problems["severity"] = "严重程度须为 minor、major 或 critical"
    return problems


def _detail(kind: EntryKind, entry: EntryInput) -> dict:
    if kind == EntryKind.MATERIAL:
        return {
            "lot": entry.lot.strip(),
            "quantity": None if entry.quantity is None else str(entry.quantity),
            "unit": entry.unit.strip(),
        }
    if kind == EntryKind.ASSAY:
        return {"unit": entry.unit.strip()}
    if kind == EntryKind.SAMPLE:
        return {"values": entry.values}
    if kind == EntryKind.DEVIATION:
        return {"impact": entry.impact.strip(), "action": entry.action.strip(), "severity": entry.severity}
    return {}
