"""All models, imported here so that Base.metadata knows every table."""

from app.models.accounts import STAFF_ROLES, ApiToken, Approval, Company, LoginThrottle, Role, User
from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.batch_record import Acceptance, AcceptanceState, BatchEntry, BatchSignature, EntryKind, Meaning
from app.models.billing import (
    ClaimStatus,
    CustomerGroup,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    NumberSequence,
    Payment,
    PriceItem,
    PriceList,
    SubsidyClaim,
    SubsidyPolicy,
)
from app.models.booking import AbortCause, Allocation, Booking, BookingStatus, MaterialUse, Service, Stage
from app.models.contracts import Contract, ContractStatus, Prepayment
from app.models.inventory import Equipment, EquipmentStatus, Kind, MaintenanceWindow
from app.models.jobs import FINAL_STATES, Job, JobState
from app.models.process_data import ProcessChunk, ProcessDataSet, ProcessTag, ProcessUpload, TagMapping
from app.models.waiting import WaitingEntry, WaitingStatus

__all__ = [
    "Contract",
    "ContractStatus",
    "Prepayment",
    "AbortCause",
    "WaitingEntry",
    "WaitingStatus",
    "Allocation",
    "Booking",
    "BookingStatus",
    "ClaimStatus",
    "CustomerGroup",
    "Invoice",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
    "MaterialUse",
    "NumberSequence",
    "Payment",
    "PriceItem",
    "PriceList",
    "Service",
    "Stage",
    "SubsidyClaim",
    "SubsidyPolicy",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Company",
    "Equipment",
    "EquipmentStatus",
    "Kind",
    "Approval",
    "LoginThrottle",
    "MaintenanceWindow",
    "Role",
    "STAFF_ROLES",
    "User",
    "FINAL_STATES",
    "Job",
    "JobState",
    "Acceptance",
    "AcceptanceState",
    "BatchEntry",
    "BatchSignature",
    "EntryKind",
    "Meaning",
    "ProcessChunk",
    "ProcessDataSet",
    "ProcessTag",
    "ProcessUpload",
    "TagMapping",
]
