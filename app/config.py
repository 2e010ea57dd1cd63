"""Configuration: defaults, overridden by environment variables and by create_app(config)."""
import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


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
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
        "API_TOKEN_DAYS": 30,
        "OUTBOX_DIR": os.environ.get("OUTBOX_DIR") or str(INSTANCE_DIR / "outbox"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),  # empty: mail goes to OUTBOX_DIR as .eml files
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@pilot.example"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "PLATFORM_NAME": os.environ.get("PLATFORM_NAME", "呼和浩特合成生物中试平台"),
        "PLATFORM_USCC": os.environ.get("PLATFORM_USCC", "91150100MA0000001A"),
        "PLATFORM_CONTACT": os.environ.get("PLATFORM_CONTACT", "平台财务部 0471-0000000"),
        "PLATFORM_BANK_ACCOUNT": os.environ.get("PLATFORM_BANK_ACCOUNT", "（请在配置中填写开户行及账号）"),
        "PLATFORM_ADDRESS_PHONE": os.environ.get("PLATFORM_ADDRESS_PHONE", "（请在配置中填写地址及电话）"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "INVOICE_PREFIX": os.environ.get("INVOICE_PREFIX", "PP"),
        "CREDIT_NOTE_PREFIX": os.environ.get("CREDIT_NOTE_PREFIX", "CN"),
        "PAYMENT_TERMS_DAYS": int(os.environ.get("PAYMENT_TERMS_DAYS", "30")),
        # reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are believed (0: none)
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # disruptions: a batch this long past its planned end makes the next booking conflicted; a start this far
        # from the planned one needs "start now on this vessel"; aborts of these causes are not billed
        "OVERRUN_GRACE_H": float(os.environ.get("OVERRUN_GRACE_H", "2")),
        "START_TOLERANCE_H": float(os.environ.get("START_TOLERANCE_H", "2")),
        "ABORT_WAIVED_CAUSES": os.environ.get("ABORT_WAIVED_CAUSES", "equipment_failure").split(","),
        # a repair keeps work starting in the next REPAIR_PINNED_H hours and searches for REPAIR_TIME_LIMIT_S
        "REPAIR_PINNED_H": float(os.environ.get("REPAIR_PINNED_H", "4")),
        "REPAIR_TIME_LIMIT_S": float(os.environ.get("REPAIR_TIME_LIMIT_S", "2")),
        # how long a slot freed for the waiting list is held for the customer it is offered to
        "WAITLIST_HOLD": timedelta(hours=float(os.environ.get("WAITLIST_HOLD_H", "24"))),
    }


def _instance_secret() -> str:
    """A random secret kept in instance/, made on first use, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
    return path.read_text().strip()
