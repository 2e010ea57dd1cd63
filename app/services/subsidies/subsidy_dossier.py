"""Gathers the evidence behind a year's counted documents and builds the claim's annexes (billing.dossier)."""

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Company, Contract, Equipment, EquipmentStatus, Invoice, Payment
from app.services.booking.lifecycle import SERVICE
from app.services.plan.reports import (
    allocations_touching,
    hours_inside,
    maintenance_touching,
    worked_interval,
)
from billing import LedgerInvoice, Money
from billing.dossier import Annex, CustomerFacts, Evidence, ReceivedPayment, VesselYear, build_dossier


def evidence_for(session: Session, year: int, docs: list[LedgerInvoice], tz: ZoneInfo) -> Evidence:
    """Payments, 数电票 dates, customer facts and machine-hours of the year, for the documents counted."""
    ids = [doc.id for doc in docs]
    owners = {doc.credited_invoice_id or doc.id for doc in docs}
    contracts = dict(
        session.execute(
            select(Invoice.id, Contract.number)
            .join(Contract, Invoice.contract_id == Contract.id)
            .where(Invoice.id.in_(owners))
        ).all()
    )
    fapiao_dates = dict(
        session.execute(
            select(Invoice.id, Invoice.fapiao_issued_on).where(
                Invoice.id.in_(ids), Invoice.fapiao_issued_on.is_not(None)
            )
        ).all()
    )
    payments = tuple(
        ReceivedPayment(p.invoice_id, p.received_on, Money(p.amount), p.reference)
        for p in session.scalars(select(Payment).where(Payment.invoice_id.in_(ids)))
    )
    companies = session.scalars(select(Company).where(Company.id.in_({doc.customer_id for doc in docs})))
    customers = {c.id: CustomerFacts(c.name, c.uscc, c.is_sme, c.is_affiliated, c.in_hohhot) for c in companies}
    vessels, batches = machine_hours(session, year, tz)
    return Evidence(
        contracts=contracts,
        fapiao_dates=fapiao_dates,
        payments=payments,
        customers=customers,
        vessels=vessels,
        batches=batches,
    )


def machine_hours(session: Session, year: int, tz: ZoneInfo) -> tuple[tuple[VesselYear, ...], int]:
    """Per vessel in the plant-local year: hours available (less maintenance), effective working hours (its
    batches, as they actually ran where recorded, as the utilisation report counts them), hours of service to
    outside users (batches of companies that are not related parties); and the number of batches served."""
    window = (datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz))
    year_h = Decimal((window[1] - window[0]).total_seconds()) / 3600
    maintenance = maintenance_touching(session, window)
    served = [a for a in allocations_touching(session, window) if a.booking.status in SERVICE]
    rows = []
    for item in session.scalars(select(Equipment).order_by(Equipment.kind, Equipment.nominal_volume_l, Equipment.code)):
        mine = [a for a in served if a.equipment_id == item.id]
        if item.status == EquipmentStatus.RETIRED and not mine:
            continue
        outside = [a for a in mine if not a.booking.company.is_affiliated]
        rows.append(
            VesselYear(
                item.code,
                item.name,
                year_h - _hours(hours_inside(maintenance.get(item.id, []), window)),
                _hours(hours_inside([worked_interval(a)[:2] for a in mine], window)),
                _hours(hours_inside([worked_interval(a)[:2] for a in outside], window)),
            )
        )
    return tuple(rows), len({a.booking_id for a in served})


def dossier_for(
    session: Session, year: int, docs: list[LedgerInvoice], eligible_revenue: Money, amount: Money, tz: ZoneInfo
) -> list[Annex]:
    return build_dossier(docs, evidence_for(session, year, docs, tz), eligible_revenue, amount)


def annexes_json(annexes: list[Annex]) -> list[dict]:
    return [
        {"key": a.key, "title": a.title, "headers": list(a.headers), "rows": a.rows, "total": a.total} for a in annexes
    ]


def dossier_digest(frozen: list[dict]) -> str:
    """SHA-256 of the annexes as frozen (canonical JSON)."""
    text = json.dumps(frozen, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hours(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))
