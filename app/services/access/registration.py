"""Registering a company, and the platform's review of it: only approved companies hold capacity.

A registration answers the same whether or not its e-mail address already has an account (no account
enumeration): with a taken address the company is still recorded for review, without a user, and the caller
mails the address's owner instead of a confirmation link. The password arrives hashed (hash before the write
transaction). Approving a company also confirms its first user's e-mail address."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Approval, Company, Role, User
from app.models.accounts import name_key
from app.platform.errors import Conflict, require_valid
from app.services import audit
from app.services.access import throttle
from app.services.access.passwords import NewPassword, new_password
from app.services.access.throttle import Limit
from app.services.access.users import new_user, user_by_email
from billing.uscc import uscc_problem


@dataclass(frozen=True)
class CompanyDetails:
    name: str
    uscc: str
    contact_name: str
    email: str
    phone: str = ""
    address: str = ""
    bank_name: str = ""
    bank_account: str = ""


@dataclass(frozen=True)
class Registration:
    company: Company
    user: User | None  # the new first user; None when the e-mail address already had an account
    existing_owner: User | None  # that account, whose owner is told instead


def count_registration(session: Session, remote_addr: str, now: datetime, free: int) -> None:
    """Count a registration from the address: `free` a day, then a doubling wait from ten minutes (429)."""
    limit = Limit(free=free, base_s=600, max_s=86_400, quiet_s=86_400)
    throttle.claim(session, f"register:{remote_addr}", limit, now, "注册过于频繁")


def register_company(session: Session, details: CompanyDetails, password: NewPassword) -> Registration:
    """A new company awaiting the platform's review, with its first user (the company's admin, role customer)."""
    uscc = details.uscc.strip().upper()
    problems = {}
    if problem := uscc_problem(uscc):
        problems["uscc"] = problem
    if password.problem:
        problems["password"] = password.problem
    require_valid(problems)
    _ensure_free(session, uscc, details.name)
    owner = user_by_email(session, details.email)
    company = Company(**{**details.__dict__, "uscc": uscc, "name": details.name.strip()}, approval=Approval.PENDING)
    session.add(company)
    user = _flush_unless_taken(
        session,
        lambda: (
            None
            if owner
            else new_user(session, details.email, Role.CUSTOMER, password, company.id, name=details.contact_name)
        ),
    )
    if user is not None:
        user.is_company_admin = True
    audit.record(
        session,
        user,
        "company.registered",
        "company",
        company.id,
        name=company.name,
        uscc=uscc,
        email_taken=owner is not None,
    )
    return Registration(company, user, owner)


def _ensure_free(session: Session, uscc: str, name: str) -> None:
    if session.scalar(select(Company.id).where(Company.uscc == uscc)):
        raise Conflict("该统一社会信用代码已注册", {"uscc": "该统一社会信用代码已注册"})
    if session.scalar(select(Company.id).where(Company.name_key == name_key(name))):
        raise Conflict("已有同名企业注册", {"name": "已有同名企业注册，如有疑问请联系平台"})


def _flush_unless_taken(session: Session, first_user: Callable[[], User | None]) -> User | None:
    """Store the company and its first user; a registration racing this one for the name, USCC or e-mail: 409."""
    try:
        session.flush()
        return first_user()
    except IntegrityError as error:
        field, message = _taken(error)
        raise Conflict(message, {field: message}) from None


def _taken(error: IntegrityError) -> tuple[str, str]:
    """Which field a racing registration took first, by the unique constraint that refused this one."""
    diag = getattr(error.orig, "diag", None)  # psycopg names the constraint; SQLite names the column
    said = (getattr(diag, "constraint_name", None) or str(error.orig)).lower()
    if "uscc" in said:
        return "uscc", "该统一社会信用代码已注册"
    if "email" in said:
        return "email", "该邮箱刚刚被注册，请稍后重试"
    return "name", "已有同名企业注册，如有疑问请联系平台"


def register_approved(session: Session, details: CompanyDetails, password: str, now: datetime) -> Company:
    """A company set up by the platform itself (demo, command line, tests): approved, its first user confirmed."""
    done = register_company(session, details, new_password(password))
    review(session, None, done.company, True, "平台直接创建", now)
    return done.company


def review(session: Session, admin: User | None, company: Company, approved: bool, note: str, now: datetime) -> None:
    """Approve a company (its first user's e-mail counts as confirmed) or refuse it; audited."""
    company.approval = Approval.APPROVED if approved else Approval.REFUSED
    company.reviewed_at, company.review_note = now, note.strip()
    if approved:
        for user in company.users:
            if user.is_company_admin and user.email_verified_at is None:
                user.email_verified_at = now
    audit.record(
        session, admin, "company.approved" if approved else "company.refused", "company", company.id, note=note.strip()
    )


def awaiting_review(session: Session) -> list[Company]:
    """Companies waiting for the platform's review, oldest first."""
    return list(
        session.scalars(
            select(Company).where(Company.approval == Approval.PENDING).order_by(Company.created_at, Company.id)
        )
    )
