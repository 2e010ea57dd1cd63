"""Companies, users and sign-in (throttled in the database)."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from billing.uscc import uscc_problem

from ..errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed, require_valid
from ..models import Company, LoginAttempt, Role, User
from . import audit
from .rows import by_id


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


class LockedOut(DomainError):
    status = 429


def password_problem(password: str) -> str | None:
    """The password rule: at least 8 characters with a letter and a digit."""
    if len(password) < 8:
        return "密码至少8位"
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "密码须同时包含字母和数字"
    return None


def register_company(session: Session, details: CompanyDetails, password: str) -> Company:
    """A new company with its first user, the company's admin (role customer)."""
    uscc = details.uscc.strip().upper()
    problems = {}
    if problem := uscc_problem(uscc):
        problems["uscc"] = problem
    if problem := password_problem(password):
        problems["password"] = problem
    require_valid(problems)
    _ensure_free(session, uscc, details.email)
    company = Company(**{**details.__dict__, "uscc": uscc})
    session.add(company)
    session.flush()
    user = _new_user(session, details.email, Role.CUSTOMER, password, company.id, name=details.contact_name)
    user.is_company_admin = True
    audit.record(session, user, "company.registered", "company", company.id, name=company.name, uscc=uscc)
    return company


def _ensure_free(session: Session, uscc: str, email: str) -> None:
    if session.scalar(select(Company.id).where(Company.uscc == uscc)):
        raise Conflict("该统一社会信用代码已注册", {"uscc": "该统一社会信用代码已注册"})
    if user_by_email(session, email):
        raise Conflict("该邮箱已注册", {"email": "该邮箱已注册"})


def override_uscc(session: Session, admin: User, company: Company, uscc: str, reason: str) -> None:
    """An admin sets a code that fails the check digit (a few real ones do); the reason is logged."""
    if not reason.strip():
        raise ValidationFailed("请填写原因", {"reason": "覆盖校验须填写原因"})
    new = uscc.strip().upper()
    if session.scalar(select(Company.id).where(Company.uscc == new, Company.id != company.id)):
        raise Conflict("该统一社会信用代码已被其他公司使用", {"uscc": "该统一社会信用代码已被其他公司使用"})
    old = company.uscc
    company.uscc, company.uscc_override_reason = new, reason.strip()
    audit.record(session, admin, "company.uscc_override", "company", company.id, old=old, new=company.uscc,
                 reason=reason.strip())


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _new_user(session: Session, email: str, role: Role, password: str, company_id: int | None, name: str = "") -> User:
    user = User(email=email.strip().lower(), role=role, company_id=company_id, name=name,
                password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def create_user(session: Session, actor: User | None, email: str, role: str, password: str,
                company_id: int | None = None, name: str = "") -> User:
    """A user of any role; customers belong to a company, staff to none."""
    problems = {}
    if role not in {r.value for r in Role}:
        problems["role"] = "角色应为 customer、operator、finance、admin 或 bureau"
    if problem := password_problem(password):
        problems["password"] = problem
    if role == Role.CUSTOMER and company_id is None:
        problems["company_id"] = "客户用户须属于一家企业"
    if company_id is not None and session.get(Company, company_id) is None:
        problems["company_id"] = "企业不存在"
    require_valid(problems)
    if user_by_email(session, email):
        raise Conflict("该邮箱已注册", {"email": "该邮箱已注册"})
    user = _new_user(session, email, Role(role), password, company_id if role == Role.CUSTOMER else None, name)
    audit.record(session, actor, "user.created", "user", user.id, email=user.email, role=role)
    return user


def invite_colleague(session: Session, inviter: User, email: str, name: str) -> tuple[User, str]:
    """A company admin adds a colleague; returns the user and a one-time initial password."""
    if not (inviter.is_company_admin and inviter.company_id):
        raise Forbidden("只有企业管理员可以邀请同事")
    initial = secrets.token_urlsafe(9) + "7a"
    user = create_user(session, inviter, email, Role.CUSTOMER, initial, inviter.company_id, name)
    return user, initial


def authenticate(session: Session, email: str, password: str, remote_addr: str, now: datetime,
                 max_failures: int, lock_minutes: int) -> User:
    """The user with these credentials; throttled by recent failures for the e-mail address."""
    email = email.strip().lower()
    since = now - timedelta(minutes=lock_minutes)
    failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.email == email, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)))
    if failures >= max_failures:
        raise LockedOut(f"登录失败次数过多，请 {lock_minutes} 分钟后再试")
    user = user_by_email(session, email)
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    session.add(LoginAttempt(email=email, remote_addr=remote_addr, succeeded=ok, at=now))
    if not ok:
        raise ValidationFailed("邮箱或密码不正确", {"password": "邮箱或密码不正确"})
    return user


def company_for(session: Session, actor: User, company_id: int) -> Company:
    """A company the actor may see: staff see all, a customer only its own (others: not found)."""
    company = by_id(session, Company, company_id)
    if company is None or (not actor.is_staff and actor.role != Role.BUREAU and actor.company_id != company_id):
        raise NotFound("企业不存在")
    return company


def set_affiliated(session: Session, admin: User, company: Company, affiliated: bool) -> None:
    company.is_affiliated = affiliated
    audit.record(session, admin, "company.affiliation", "company", company.id, is_affiliated=affiliated)


def list_companies(session: Session) -> list[Company]:
    return list(session.scalars(select(Company).order_by(Company.name)))


EDITABLE_COMPANY_FIELDS = ("phone", "address", "bank_name", "bank_account")


def patch_company(session: Session, admin: User, company: Company, changes: dict) -> None:
    """Apply an admin's partial update: affiliation, a USCC (checked, or overridden with a reason), details."""
    if "is_affiliated" in changes and changes["is_affiliated"] is not None:
        set_affiliated(session, admin, company, changes["is_affiliated"])
    if changes.get("uscc"):
        uscc = changes["uscc"].strip().upper()
        problem = uscc_problem(uscc)
        if problem and not changes.get("uscc_override_reason"):
            raise ValidationFailed(problem, {"uscc": problem + "（如确需使用，请填写 uscc_override_reason）"})
        if problem:
            override_uscc(session, admin, company, uscc, changes["uscc_override_reason"])
        else:
            company.uscc = uscc
    details = {k: changes[k] for k in EDITABLE_COMPANY_FIELDS if changes.get(k) is not None}
    for name, value in details.items():
        setattr(company, name, value)
    if details:
        audit.record(session, admin, "company.updated", "company", company.id, **details)
