"""Unified social credit code (统一社会信用代码, GB 32100-2015) check."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid USCC, in Chinese, or None when it is valid."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        return f"统一社会信用代码含有无效字符：{bad[0]}"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确"
    return None
