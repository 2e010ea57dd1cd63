"""Users and sign-in (throttled in the database, the password checked outside the transaction), companies."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Company, Role, User
from app.platform.errors import Conflict, Forbidden, NotFound, ValidationFailed, require_valid
from app.services import audit
from app.services.access import registration, throttle
from app.services.access.passwords import NewPassword, new_password
from app.services.access.throttle import Limit
from app.services.access.users import new_user, user_by_email
from app.services.rows import by_id
from billing.uscc import uscc_problem


def override_uscc(session: Session, admin: User, company: Company, uscc: str, reason: str) -> None:
    """An admin sets a code that fails the check digit (a few real ones do); the reason is logged."""
    if not reason.strip():
        raise ValidationFailed("请填写原因", {"reason": "覆盖校验须填写原因"})
    new = uscc.strip().upper()
    if session.scalar(select(Company.id).where(Company.uscc == new, Company.id != company.id)):
        raise Conflict("该统一社会信用代码已被其他公司使用", {"uscc": "该统一社会信用代码已被其他公司使用"})
    old = company.uscc
    company.uscc, company.uscc_override_reason = new, reason.strip()
    audit.record(
        session, admin, "company.uscc_override", "company", company.id, old=old, new=company.uscc, reason=reason.strip()
    )


def create_user(
    session: Session,
    actor: User | None,
    email: str,
    role: str,
    password: NewPassword,
    company_id: int | None = None,
    name: str = "",
    verified_at: datetime | None = None,
) -> User:
    """A user of any role; customers belong to a company, staff to none. `verified_at`: when the e-mail address
    counts as confirmed (None: its owner confirms it by the link mailed to it)."""
    problems = {}
    if role not in {r.value for r in Role}:
        problems["role"] = "角色应为 customer、operator、finance、admin 或 bureau"
    if password.problem:
        problems["password"] = password.problem
    if role == Role.CUSTOMER and company_id is None:
        problems["company_id"] = "客户用户须属于一家企业"
    if company_id is not None and session.get(Company, company_id) is None:
        problems["company_id"] = "企业不存在"
    require_valid(problems)
    if user_by_email(session, email):
        raise Conflict("该邮箱已注册", {"email": "该邮箱已注册"})
    user = new_user(
        session, email, Role(role), password, company_id if role == Role.CUSTOMER else None, name, verified_at
    )
    audit.record(session, actor, "user.created", "user", user.id, email=user.email, role=role)
    return user


def initial_password() -> tuple[str, NewPassword]:
    """A one-time initial password for an invited colleague, hashed (before the transaction)."""
    initial = secrets.token_urlsafe(9) + "7a"
    return initial, new_password(initial)


def invite_colleague(session: Session, inviter: User, email: str, name: str, password: NewPassword) -> User:
    """A company admin adds a colleague, who confirms the e-mail address by the link mailed to it."""
    if not (inviter.is_company_admin and inviter.company_id):
        raise Forbidden("只有企业管理员可以邀请同事")
    return create_user(session, inviter, email, Role.CUSTOMER, password, inviter.company_id, name)


@dataclass(frozen=True)
class SignInLimits:
    """Throttles of sign-in: per account at one address (tight), per address over all accounts, and per account
    over all addresses (loose: it slows a guesser spread over many addresses, and only slows the owner too)."""

    account: Limit
    address: Limit
    everywhere: Limit

    @classmethod
    def from_config(cls, config) -> "SignInLimits":
        wait, longest = config["LOGIN_BACKOFF_SECONDS"], config["LOGIN_BACKOFF_MAX_SECONDS"]
        return cls(
            *(
                Limit(config[name], wait, longest, quiet_s=3600)
                for name in ("LOGIN_FREE_ATTEMPTS", "LOGIN_ADDRESS_FREE_ATTEMPTS", "LOGIN_ACCOUNT_FREE_ATTEMPTS")
            )
        )


def _sign_in_keys(email: str, remote_addr: str) -> list[tuple[str, str]]:
    return [
        ("account", f"sign-in:{email}|{remote_addr}"),
        ("address", f"sign-in:|{remote_addr}"),
        ("everywhere", f"sign-in:{email}|"),
    ]


def begin_sign_in(session: Session, email: str, remote_addr: str, now: datetime, limits: SignInLimits) -> str | None:
    """Count this attempt against the account and the address (429 when it must wait); give the stored password
    hash to check outside the transaction (None: no such active account)."""
    email = email.strip().lower()
    for which, key in _sign_in_keys(email, remote_addr):
        throttle.claim(session, key, getattr(limits, which), now, "登录尝试过于频繁")
    user = user_by_email(session, email)
    return user.password_hash if user is not None and user.active else None


def finish_sign_in(session: Session, email: str, remote_addr: str, checked_hash: str | None, matched: bool) -> User:
    """The user, when the password checked against `checked_hash` matched and is still the account's."""
    user = user_by_email(session, email)
    if not matched or user is None or not user.active or user.password_hash != checked_hash:
        raise ValidationFailed("邮箱或密码不正确", {"password": "邮箱或密码不正确"})
    (_, account_key), (_, address_key), (_, everywhere_key) = _sign_in_keys(user.email, remote_addr)
    throttle.clear(session, account_key)
    throttle.forgive_one(session, address_key)
    throttle.forgive_one(session, everywhere_key)
    return user


def sign_out(session: Session, user: User) -> None:
    """End every session of the user on the server: the session identity carries the generation."""
    user.session_generation += 1


def confirm_email(session: Session, user_id: int, email: str, now: datetime) -> User:
    """Mark the address confirmed for the user it was mailed to (by a signed link; the address must still match)."""
    user = by_id(session, User, user_id)
    if user is None or user.email != email:
        raise NotFound("确认链接无效或已过期")
    if user.email_verified_at is None:
        user.email_verified_at = now
        audit.record(session, user, "user.email_confirmed", "user", user.id, email=email)
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


COMPANY_FACTS = ("is_sme", "sme_source", "sme_checked_on", "in_hohhot")  # what the claim's annexes need
EDITABLE_COMPANY_FIELDS = ("phone", "address", "bank_name", "bank_account", *COMPANY_FACTS)


def set_facts(session: Session, admin: User, company: Company, facts: dict) -> None:
    """Set the company's SME status (with its source and date) and location; audited when any of them changes."""
    changed = {name: value for name, value in facts.items() if value != getattr(company, name)}
    for name, value in changed.items():
        setattr(company, name, value)
    if changed:
        audit.record(session, admin, "company.updated", "company", company.id, **changed)


def patch_company(session: Session, admin: User, company: Company, changes: dict, now: datetime) -> None:
    """Apply an admin's partial update: approval, affiliation, a USCC (checked, or overridden with a reason),
    details."""
    if changes.get("approved") is not None:
        registration.review(session, admin, company, changes["approved"], changes.get("review_note") or "", now)
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
