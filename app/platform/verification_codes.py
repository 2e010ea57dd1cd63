"""Claim verification codes a person can read aloud and type: Crockford base32 (no I, L, O, U), 150 random bits,
shown in groups of five; typing is forgiving (any case, spaces or hyphens, O for 0, I or L for 1)."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 30  # 30 × 5 bits = 150 bits
GROUP = 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_code() -> str:
    """A fresh code, stored without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def canonical(typed: str) -> str:
    """The stored form of a code as a person typed it."""
    return typed.strip().upper().translate(_READ_AS)


def grouped(code: str) -> str:
    """A code as printed (ABCDE-FGHJK-…); a code of the earlier form (case-sensitive) as it is."""
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return code
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))
