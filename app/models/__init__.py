"""All models, imported here so that Base.metadata knows every table."""
from .accounts import STAFF_ROLES, ApiToken, Company, LoginAttempt, Role, User
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
from .booking import AbortCause, Allocation, Booking, BookingStatus, MaterialUse, Service, Stage
from .inventory import Equipment, EquipmentStatus, Kind, MaintenanceWindow
from .waiting import WaitingEntry, WaitingStatus

__all__ = [
    "AbortCause", "Allocation", "Booking", "BookingStatus", "ClaimStatus", "CustomerGroup", "Invoice", "InvoiceKind",
    "InvoiceLine", "InvoiceStatus", "MaterialUse", "NumberSequence", "Payment", "PriceItem", "PriceList",
    "Service", "Stage", "SubsidyClaim", "SubsidyPolicy", "ApiToken", "AuditEntry", "Base", "Company", "Equipment", "EquipmentStatus", "Kind",
    "LoginAttempt", "MaintenanceWindow", "Role", "STAFF_ROLES", "User", "WaitingEntry", "WaitingStatus",
]
