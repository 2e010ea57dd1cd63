"""Configuration: defaults, overridden by environment variables and by create_app(config)."""
import os
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
        "OUTBOX_DIR": str(INSTANCE_DIR / "outbox"),
        "PLATFORM_NAME": os.environ.get("PLATFORM_NAME", "呼和浩特合成生物中试平台"),
    }


def _instance_secret() -> str:
    """A random secret kept in instance/, made on first use, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(os.urandom(32).hex())
    return path.read_text().strip()
