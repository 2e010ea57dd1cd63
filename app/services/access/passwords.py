"""Passwords: the rule, and hashing that callers do BEFORE their write transaction (hashing is slow).

Checking a password against an unknown account still hashes (against a dummy), so a failed sign-in takes as
long for an unknown address as for a known one."""

from dataclasses import dataclass
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash


@dataclass(frozen=True)
class NewPassword:
    """A password someone chose: its hash, or why it breaks the rule (then no hash)."""

    hash: str | None
    problem: str | None


def password_problem(password: str) -> str | None:
    """The password rule: at least 8 characters with a letter and a digit."""
    if len(password) < 8:
        return "密码至少8位"
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "密码须同时包含字母和数字"
    return None


def new_password(password: str) -> NewPassword:
    """Check and hash a chosen password; call it before the transaction that stores the hash."""
    problem = password_problem(password)
    return NewPassword(None if problem else generate_password_hash(password), problem)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password 0")


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether the password fits the stored hash; with no hash (unknown account) it costs the same and fails."""
    if stored_hash is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(stored_hash, password)
