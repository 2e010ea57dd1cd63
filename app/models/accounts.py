"""Companies, users, API tokens and login attempts."""
import enum
import hashlib
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..types import UTCDateTime
from .base import Base, enum_column, utcnow


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    OPERATOR = "operator"
    FINANCE = "finance"
    ADMIN = "admin"
    BUREAU = "bureau"


STAFF_ROLES = frozenset({Role.OPERATOR, Role.FINANCE, Role.ADMIN})


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    uscc_override_reason: Mapped[str | None] = mapped_column(String(500))
    contact_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    bank_name: Mapped[str] = mapped_column(String(200), default="")
    bank_account: Mapped[str] = mapped_column(String(64), default="")
    is_affiliated: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_group_id: Mapped[int | None] = mapped_column(ForeignKey("customer_groups.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # raised: new calendar URL
    # facts the subsidy claim's annexes need: small or medium enterprise (and where that is known from), location
    is_sme: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sme_source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sme_checked_on: Mapped[date | None] = mapped_column(Date)
    in_hohhot: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    users: Mapped[list["User"]] = relationship(back_populates="company")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    is_company_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Company | None] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session's user id, bound to the password: changing it signs every other session out."""
        return f"{self.id}:{self.session_key()}"

    def session_key(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:20]

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt; failures within a window lock the address out (shared by all workers)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
