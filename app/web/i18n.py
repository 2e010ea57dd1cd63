"""Chinese first, English second: the locale comes from ?lang=, the session, or the user's choice."""

from flask import Flask, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.platform.extensions import babel

LOCALES = ("zh_Hans_CN", "en")


def select_locale() -> str:
    """The locale asked for by ?lang=, else the session's, else the user's; an unknown one counts as none."""
    wanted = request.args.get("lang")
    if wanted in LOCALES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LOCALES:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    return LOCALES[0]


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(LOCALES=LOCALES, get_locale=get_locale)
