"""Words for codes that reach pages from models, services and the core (statuses, stages, audit actions and
their details), in the page's language. A code without a word here is shown as it is."""

import json
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from app.jobs.registry import KINDS
from app.models import Service

BOOKING_STATUS = {
    "requested": _l("Requested"),
    "confirmed": _l("Confirmed"),
    "running": _l("Running"),
    "completed": _l("Completed"),
    "invoiced": _l("Invoiced"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
}
#: why a document is left out of the subsidy's revenue (billing.REASONS_ZH's keys)
EXCLUSION = {
    "not_issued": _l("Not issued (draft)"),
    "not_paid": _l("Not paid"),
    "outside_year": _l("Outside the claim year"),
    "void": _l("Void"),
    "affiliated": _l("Affiliated / internal"),
}
INVOICE_KIND = {"invoice": _l("Invoice"), "credit_note": _l("Credit note")}
SERVICE = {
    Service.SCALE_UP: _l("Pilot process scale-up"),
    Service.PRODUCTION: _l("Small-scale (contract) production"),
    Service.EXTRACTION: _l("Conventional extraction process validation"),
}
STAGE = {"seed": _l("Seed"), "main": _l("Main fermentation"), "downstream": _l("Downstream")}
SOLVER_STATUS = {
    "optimal": _l("optimal (proven best)"),
    "feasible": _l("feasible (not proven best)"),
    "infeasible": _l("infeasible"),
    "unknown": _l("no answer in the time limit"),
}
ENTITY = {
    "booking": _l("Booking"),
    "invoice": _l("Invoice"),
    "company": _l("Company"),
    "user": _l("User"),
    "equipment": _l("Equipment"),
    "price_list": _l("Price list"),
    "subsidy_claim": _l("Subsidy claim"),
    "subsidy_policy": _l("Subsidy policy"),
    "api_token": _l("API token"),
    "calendar_feed": _l("Calendar feed"),
    "contract": _l("Contract"),
    "job": _l("Job"),
    "customer_group": _l("Customer group"),
}
ACTION = {
    "booking.requested": _l("Booking requested"),
    "booking.confirm": _l("Confirmed"),
    "booking.reject": _l("Rejected"),
    "booking.cancel": _l("Cancelled"),
    "booking.start": _l("Started"),
    "booking.complete": _l("Completed"),
    "booking.moved": _l("Moved"),
    "booking.placement_broken": _l("Placement broken by what happened in the plant"),
    "booking.placement_mended": _l("Placement whole again"),
    "booking.invoiced": _l("Invoiced"),
    "booking.invoice_voided": _l("Invoice voided"),
    "company.registered": _l("Company registered"),
    "company.updated": _l("Company details changed"),
    "company.affiliation": _l("Affiliation changed"),
    "company.uscc_override": _l("USCC check overridden"),
    "company.customer_group": _l("Customer group changed"),
    "customer_group.created": _l("Customer group created"),
    "user.created": _l("User created"),
    "user.password_changed": _l("Password changed"),
    "token.revoked": _l("API token revoked"),
    "calendar_feed.replaced": _l("Calendar feed address replaced"),
    "invoice.drafted": _l("Invoice drafted"),
    "invoice.line_added": _l("Invoice line added"),
    "invoice.line_changed": _l("Invoice line changed"),
    "invoice.line_deleted": _l("Invoice line deleted"),
    "invoice.draft_deleted": _l("Draft invoice deleted"),
    "invoice.issued": _l("Invoice issued"),
    "invoice.payment": _l("Payment recorded"),
    "invoice.credited": _l("Credit note issued"),
    "invoice.fapiao_number": _l("Fapiao number recorded"),
    "price_list.created": _l("Price list version created"),
    "price_item.price": _l("Price changed"),
    "subsidy.claim_created": _l("Subsidy claim made"),
    "subsidy.claim_submitted": _l("Subsidy claim submitted"),
    "subsidy.policy": _l("Subsidy policy changed"),
    "equipment.added": _l("Equipment added"),
    "equipment.updated": _l("Equipment changed"),
    "equipment.status": _l("Equipment status changed"),
    "maintenance.added": _l("Maintenance window added"),
    "maintenance.removed": _l("Maintenance window removed"),
    "booking.contract": _l("Linked to a contract"),
    "booking.hold_expired": _l("Hold on the vessels expired"),
    "company.approved": _l("Company approved"),
    "company.refused": _l("Company refused"),
    "contract.created": _l("Contract created"),
    "contract.prepayment": _l("Prepayment recorded"),
    "contract.scan": _l("Contract scan added"),
    "invoice.contract": _l("Invoice linked to a contract"),
    "invoice.fapiao_imported": _l("Fapiao numbers imported"),
    "job.applied": _l("Job result applied"),
    "job.cancelled": _l("Job cancelled"),
    "job.queued": _l("Job queued"),
    "user.email_confirmed": _l("E-mail address confirmed"),
}
DETAIL = {
    "before": _l("Previous status"),
    "after": _l("New status"),
    "reason": _l("Reason"),
    "old": _l("Old"),
    "new": _l("New"),
    "to": _l("Moved to"),
    "total": _l("Total"),
    "amount": _l("Amount"),
    "number": _l("Number"),
    "reference": _l("Reference"),
    "equipment": _l("Vessel"),
    "start": _l("Start"),
    "end": _l("End"),
    "name": _l("Name"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "invoice": _l("Invoice"),
    "credit_note": _l("Credit note"),
    "description": _l("Description"),
    "lines": _l("Lines"),
    "received_on": _l("Received on"),
    "year": _l("Year"),
    "status": _l("Status"),
    "code": _l("Code"),
    "is_affiliated": _l("Affiliated / internal"),
    "uscc": _l("Unified social credit code"),
    "subtotal": _l("Subtotal (excl. VAT)"),
    "tax": _l("VAT"),
    "eligible_revenue": _l("Eligible revenue"),
    "effective_from": _l("Effective from"),
    "issued_at": _l("Issued at"),
    "kind": _l("Kind"),
    "service_subtotal": _l("Service revenue"),
    "company_id": _l("Company"),
    "booking_id": _l("Booking"),
    "line_id": _l("Invoice line"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "unit_price": _l("Unit price"),
    "tax_rate": _l("Tax rate"),
    "is_service": _l("Service revenue"),
    "discount": _l("Discount"),
    "rate": _l("Rate"),
    "cap": _l("Cap (CNY)"),
    "basis": _l("Revenue counted by"),
    "notes": _l("Notes"),
    "phone": _l("Phone"),
    "address": _l("Address"),
    "bank_name": _l("Bank"),
    "bank_account": _l("Bank account"),
    "nominal_volume_l": _l("Nominal volume (L)"),
    "min_working_volume_l": _l("Min working volume (L)"),
    "max_working_volume_l": _l("Max working volume (L)"),
    "turnaround_h": _l("Turnaround (h)"),
    "changeover_h": _l("Changeover (h)"),
    "biosafety_level": _l("Biosafety level"),
    "throughput_l_per_h": _l("Throughput (L/h)"),
    "unit_type": _l("Unit type"),
    "email_taken": _l("E-mail address already registered"),
    "hold_until": _l("Held until"),
}
MAINTENANCE, OCCUPIED, TURNAROUND = _l("Maintenance"), _l("Occupied"), _l("Turnaround (CIP/SIP)")
ACTUAL_START, OVERRUNNING = _l("actual start"), _l("running past its planned end")
YES_NO = {True: _l("Yes"), False: _l("No")}


def word(table: dict, code) -> str:
    """The word for `code` in `table`, or the code itself."""
    value = getattr(code, "value", code)
    return str(table.get(value, value))


def detail_text(value) -> str:
    """An audit detail's value as a person reads it: statuses and stages in words, times in plant-local time,
    a list of placements one per line."""
    if isinstance(value, bool):
        return str(YES_NO[value])
    if isinstance(value, dict):
        return ", ".join(f"{label}: {text}" for label, text in details(value))
    if isinstance(value, list):
        return "; ".join(
            detail_text(item) if not isinstance(item, list) else " ".join(map(detail_text, item)) for item in value
        )
    if isinstance(value, str):
        if value in KINDS:  # a background job's kind
            return str(KINDS[value].title)
        return _moment(value) or word(BOOKING_STATUS | STAGE | INVOICE_KIND, value)
    return "" if value is None else str(value)


def _moment(text: str) -> str | None:
    if len(text) < 16 or text[4:5] != "-" or text[10:11] not in ("T", " "):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment.tzinfo else None


def details(entry_details: dict) -> list[tuple[str, str]]:
    """An audit entry's details as (label, text) pairs, empty ones left out."""
    return [
        (word(DETAIL, key), detail_text(value)) for key, value in entry_details.items() if value not in (None, "", [])
    ]


def register(app) -> None:
    """The words as Jinja filters."""
    filters = {
        "status_label": BOOKING_STATUS,
        "service_label": SERVICE,
        "stage_label": STAGE,
        "solver_label": SOLVER_STATUS,
        "entity_label": ENTITY,
        "action_label": ACTION,
        "exclusion_label": EXCLUSION,
    }
    for name, table in filters.items():
        app.add_template_filter(lambda code, table=table: word(table, code), name)
    app.add_template_filter(lambda raw: details(json.loads(raw or "{}")), "audit_details")
