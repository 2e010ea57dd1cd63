"""All models, imported here so that Base.metadata knows every table."""
from .accounts import ApiToken, Company, LoginAttempt, Role, STAFF_ROLES, User
from .audit import AuditEntry
from .base import Base
from .inventory import Equipment, EquipmentStatus, Kind, MaintenanceWindow

__all__ = [
    "ApiToken", "AuditEntry", "Base", "Company", "Equipment", "EquipmentStatus", "Kind",
    "LoginAttempt", "MaintenanceWindow", "Role", "STAFF_ROLES", "User",
]
