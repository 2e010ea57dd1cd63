"""Companies (approved by the platform before they hold capacity), users, API tokens and sign-in throttles."""

import enum
import hashlib
import unicodedata
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_column
from app.platform.clock import system_clock
from app.platform.types import UTCDateTime


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    OPERATOR = "operator"
    FINANCE = "finance"
    ADMIN = "admin"
    BUREAU = "bureau"


STAFF_ROLES = frozenset({Role.OPERATOR, Role.FINANCE, Role.ADMIN})


class Approval(enum.StrEnum):
    """The platform's review of a newly registered company; only approved companies hold capacity."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


def name_key(name: str) -> str:
    """A company name as compared for uniqueness: width and case folded, spaces and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] not in "PZ")


def _name_key_of_row(context) -> str:
    return name_key(context.get_current_parameters()["name"])


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (Index("uq_companies_name_key", "name_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default=_name_key_of_row)  # unique: no two alike names
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # raised: new calendar URL
    approval: Mapped[Approval] = mapped_column(enum_column(Approval, "company_approval"), default=Approval.PENDING)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(String(500), default="")
    # facts the subsidy claim's annexes need: small or medium enterprise (and where that is known from), location
    is_sme: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sme_source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sme_checked_on: Mapped[date | None] = mapped_column(Date)
    in_hohhot: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    users: Mapped[list["User"]] = relationship(back_populates="company")

    @property
    def approved(self) -> bool:
        return self.approval == Approval.APPROVED


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # raised: sign-out

    company: Mapped[Company | None] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session's user id, bound to the password and the session generation: changing the password signs
        every other session out, signing out ends every session of the user on the server."""
        return f"{self.id}:{self.session_key()}"

    def session_key(self) -> str:
        return hashlib.sha256(f"{self.session_generation}:{self.password_hash}".encode()).hexdigest()[:20]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=system_clock)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Attempts counted under one key (an account at an address, an address, a registering address), shared by
    all workers; after the free attempts each further one waits a doubling back-off."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime)
