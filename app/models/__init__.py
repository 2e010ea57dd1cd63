"""All models, imported here so that Base.metadata knows every table."""
from .accounts import STAFF_ROLES, ApiToken, Approval, Company, LoginThrottle, Role, User
from .audit import AuditEntry
from .base import Base
from .billing import (
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
from .batch_record import Acceptance, AcceptanceState, BatchEntry, BatchSignature, EntryKind, Meaning
from .contracts import Contract, ContractStatus, Prepayment
from .booking import AbortCause, Allocation, Booking, BookingStatus, MaterialUse, Service, Stage
from .inventory import Equipment, EquipmentStatus, Kind, MaintenanceWindow
from .jobs import FINAL_STATES, Job, JobState
from .process_data import ProcessChunk, ProcessDataSet, ProcessTag, ProcessUpload, TagMapping
from .waiting import WaitingEntry, WaitingStatus

__all__ = [
    "Contract", "ContractStatus", "Prepayment", "AbortCause", "WaitingEntry", "WaitingStatus",
    "Allocation", "Booking", "BookingStatus", "ClaimStatus", "CustomerGroup", "Invoice", "InvoiceKind",
    "InvoiceLine", "InvoiceStatus", "MaterialUse", "NumberSequence", "Payment", "PriceItem", "PriceList",
    "Service", "Stage", "SubsidyClaim", "SubsidyPolicy", "ApiToken", "AuditEntry", "Base", "Company", "Equipment", "EquipmentStatus", "Kind",
    "Approval", "LoginThrottle", "MaintenanceWindow", "Role", "STAFF_ROLES", "User", "FINAL_STATES", "Job",
    "JobState",
    "Acceptance", "AcceptanceState", "BatchEntry", "BatchSignature", "EntryKind", "Meaning", "ProcessChunk",
    "ProcessDataSet", "ProcessTag", "ProcessUpload", "TagMapping",
]
