"""Configuration: defaults, overridden by environment variables and by create_app(config)."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_DIR = PROJECT_ROOT / "instance"
#: the platform's details printed on invoices and claims, and the placeholders they print until configured
PLATFORM_PLACEHOLDERS = {
    "PLATFORM_USCC": "91150100MA0000001A",
    "PLATFORM_CONTACT": "平台财务部 0471-0000000",
    "PLATFORM_BANK_ACCOUNT": "（请在配置中填写开户行及账号）",
    "PLATFORM_ADDRESS_PHONE": "（请在配置中填写地址及电话）",
}
COMMON_PHASES = ("培养基制备", "灭菌", "接种", "发酵", "放罐", "清洗")


def default_config() -> dict:
    """The settings in force unless the environment or the caller says otherwise."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'pilot.db'}",
        "PLANT_TIMEZONE": os.environ.get("PLANT_TIMEZONE", "Asia/Shanghai"),
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PLANT_TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        # sign-in: free attempts per account and address, per address; then a doubling wait (seconds) up to a cap
        "LOGIN_FREE_ATTEMPTS": _int("LOGIN_FREE_ATTEMPTS", 5),
        "LOGIN_ADDRESS_FREE_ATTEMPTS": _int("LOGIN_ADDRESS_FREE_ATTEMPTS", 30),
        "LOGIN_ACCOUNT_FREE_ATTEMPTS": _int("LOGIN_ACCOUNT_FREE_ATTEMPTS", 50),  # per account from all addresses
        "LOGIN_BACKOFF_SECONDS": _int("LOGIN_BACKOFF_SECONDS", 30),
        "LOGIN_BACKOFF_MAX_SECONDS": _int("LOGIN_BACKOFF_MAX_SECONDS", 900),
        "REGISTRATIONS_PER_ADDRESS": _int("REGISTRATIONS_PER_ADDRESS", 5),  # a day, then a doubling wait
        "EMAIL_CONFIRM_HOURS": _int("EMAIL_CONFIRM_HOURS", 48),  # how long a confirmation link works
        # capacity: an unconfirmed request holds its vessels this long; per-company limits on requests
        "REQUEST_HOLD_HOURS": _int("REQUEST_HOLD_HOURS", 72),
        "MAX_UNCONFIRMED_VESSEL_HOURS": _int("MAX_UNCONFIRMED_VESSEL_HOURS", 1000),
        "MAX_REQUEST_DURATION_H": _int("MAX_REQUEST_DURATION_H", 720),
        "MAX_REQUEST_HORIZON_DAYS": _int("MAX_REQUEST_HORIZON_DAYS", 180),
        "API_TOKEN_DAYS": 30,
        "OUTBOX_DIR": os.environ.get("OUTBOX_DIR") or str(INSTANCE_DIR / "outbox"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),  # empty: mail goes to OUTBOX_DIR as .eml files
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@pilot.example"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "PLATFORM_NAME": os.environ.get("PLATFORM_NAME", "呼和浩特合成生物中试平台"),
        **{name: os.environ.get(name, placeholder) for name, placeholder in PLATFORM_PLACEHOLDERS.items()},
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "INVOICE_PREFIX": os.environ.get("INVOICE_PREFIX", "PP"),
        "CREDIT_NOTE_PREFIX": os.environ.get("CREDIT_NOTE_PREFIX", "CN"),
        "PLATFORM_FIRST_YEAR": int(os.environ.get("PLATFORM_FIRST_YEAR", "2024")),  # no issue date before it
        "CONTRACT_PREFIX": os.environ.get("CONTRACT_PREFIX", "HT"),
        # invoices of this total (CNY) or more must belong to a contract; unset: small and large jobs may go without
        "CONTRACT_REQUIRED_FROM": Decimal(os.environ["CONTRACT_REQUIRED_FROM"])
        if os.environ.get("CONTRACT_REQUIRED_FROM")
        else None,
        "CONTRACT_SCAN_MAX_BYTES": int(os.environ.get("CONTRACT_SCAN_MAX_BYTES", str(10 * 1024 * 1024))),
        # 商品和服务税收分类编码 per kind of invoice line, for the 数电票 batch export (the tax adviser confirms them):
        # service lines default to 3040105000000000000 (专业技术服务); materials have no default
        "ETAX_TAX_CODE_SERVICE": os.environ.get("ETAX_TAX_CODE_SERVICE", "3040105000000000000"),
        "ETAX_TAX_CODE_GOODS": os.environ.get("ETAX_TAX_CODE_GOODS", ""),
        "PAYMENT_TERMS_DAYS": int(os.environ.get("PAYMENT_TERMS_DAYS", "30")),
        # days the customer has to accept or dispute a signed batch and its usage; silence accepts
        "ACCEPTANCE_DAYS": int(os.environ.get("ACCEPTANCE_DAYS", "7")),
        # the phases a batch record lists, per service
        "BATCH_PHASES": {
            service: [*COMMON_PHASES, *extra]
            for service, extra in (("scale_up", []), ("production", []), ("extraction", ["提取"]))
        },
        # background jobs: Huey on SQLite by default, on Redis with e.g. redis://host:6379/0
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL") or f"sqlite:///{INSTANCE_DIR / 'jobs.sqlite'}",
        "JOB_QUEUE_NAME": os.environ.get("JOB_QUEUE_NAME", "pilot"),
        "JOB_HEARTBEAT_S": float(os.environ.get("JOB_HEARTBEAT_S", "5")),
        # a running job whose worker has not beaten for this long is failed (or queued again if safe)
        "JOB_STALE_S": float(os.environ.get("JOB_STALE_S", "30")),
        # finance exports of this many rows or more are made by a job (the page then shows the job)
        "EXPORT_JOB_FROM_ROWS": int(os.environ.get("EXPORT_JOB_FROM_ROWS", "2000")),
        # reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are believed (0: none)
        # the largest request body a route accepts unless it allows more (app.edges.allow_upload); 413 beyond
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # disruptions: a batch this long past its planned end makes the next booking conflicted; a start this far
        # from the planned one needs "start now on this vessel"; aborts of these causes are not billed
        "OVERRUN_GRACE_H": float(os.environ.get("OVERRUN_GRACE_H", "2")),
        "START_TOLERANCE_H": float(os.environ.get("START_TOLERANCE_H", "2")),
        "ABORT_WAIVED_CAUSES": _names(os.environ.get("ABORT_WAIVED_CAUSES", "equipment_failure")),
        # CP-SAT workers of the optimiser and the repair; a repair keeps work starting in the next REPAIR_PINNED_H
        # hours and searches for REPAIR_TIME_LIMIT_S
        "SOLVER_WORKERS": _int("SOLVER_WORKERS", 2),
        "REPAIR_PINNED_H": float(os.environ.get("REPAIR_PINNED_H", "4")),
        "REPAIR_TIME_LIMIT_S": float(os.environ.get("REPAIR_TIME_LIMIT_S", "2")),
        # how long a slot freed for the waiting list is held for the customer it is offered to
        "WAITLIST_HOLD": timedelta(hours=float(os.environ.get("WAITLIST_HOLD_H", "24"))),
    }


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _names(listed: str) -> list[str]:
    """The names of a comma-separated list, without spaces or empty entries."""
    return [name.strip() for name in listed.split(",") if name.strip()]


def _instance_secret() -> str:
    """A random secret kept in instance/, made on first use, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
    return path.read_text().strip()


def unset_platform_details(config) -> list[str]:
    """The names of the platform details still empty or at their placeholder."""
    return [
        name for name, placeholder in PLATFORM_PLACEHOLDERS.items() if config.get(name, "").strip() in ("", placeholder)
    ]
