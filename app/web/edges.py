"""What the app refuses before any view runs, and how failures are answered: JSON on /api/, a Chinese page
elsewhere, never a bare 500 for bad input.

Refused at the edge: a body larger than the route's limit (413), a NUL character in any value (path, query,
form or JSON; PostgreSQL cannot store one), JSON nested too deep to parse. Answered: a unique constraint that
a concurrent request won (409), a database that does not answer (503 with Retry-After), and any other
failure (500, JSON on /api/).
"""

import re
from collections.abc import Callable, Iterator
from contextlib import suppress

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.platform.db import db_session

RETRY_AFTER_S = 30
#: the unique constraints a concurrent request can win, and what to tell the loser (field, message)
TAKEN = {
    "uq_companies_uscc": ("uscc", "该统一社会信用代码已被其他公司使用"),
    "uq_users_email": ("email", "该邮箱已被使用"),
    "uq_equipment_code": ("code", "该设备编号已存在"),
}
SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")


def allow_upload(max_bytes: int) -> Callable:
    """A view decorator: this route accepts bodies up to `max_bytes` instead of MAX_CONTENT_LENGTH."""

    def mark(view):
        view.max_content_length = max_bytes
        return view

    return mark


def answer(status: int, message: str, fields: dict[str, str] | None = None, headers: dict | None = None):
    """The refusal as JSON on /api/, else as the Chinese (or English) error page."""
    if request.path.startswith("/api/"):
        from app.web.api.core import json_error

        return *json_error(status, message, fields), headers or {}
    return render_template("error.html", code=status, message=message), status, headers or {}


def init_edges(app: Flask) -> None:
    app.before_request(_route_size_limit)
    app.before_request(_refuse_nul_and_deep_json)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(IntegrityError, _already_taken)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected)


def _route_size_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_content_length", None)
    if limit is not None:
        request.max_content_length = limit


def _refuse_nul_and_deep_json():
    try:
        payload = request.get_json(silent=True) if request.is_json else None
    except RecursionError:
        return answer(400, _("The JSON body is nested too deeply."), {"body": "nested too deeply"})
    sources = [request.view_args or {}, request.args.to_dict(), request.form.to_dict()]
    bad = sorted(
        {name for source in sources for name, value in source.items() if "\x00" in str(value) + name}
        | set(_nul_paths(payload))
    )
    if bad:
        message = _("The input contains a NUL character, which is not allowed.")
        return answer(422, message, dict.fromkeys(bad, message))
    return None


def _nul_paths(payload) -> Iterator[str]:
    """The dotted paths of the strings in a JSON value that contain a NUL (walked without recursion)."""
    stack = [("body", payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            yield path
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in value.items())
            yield from (f"{path}.{key}" for key in value if "\x00" in key)
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}", item) for i, item in enumerate(value))


def _too_large(error: RequestEntityTooLarge):
    return answer(413, _("The request is too large."))


def _already_taken(error: IntegrityError):
    db_session().rollback()
    field, message = TAKEN.get(_constraint_name(error), ("", "与已有记录冲突，请刷新后重试"))
    return answer(409, message, {field: message} if field else None)


def _constraint_name(error: IntegrityError) -> str:
    diag = getattr(error.orig, "diag", None)  # psycopg names the constraint
    if diag is not None and diag.constraint_name:
        return diag.constraint_name
    found = SQLITE_UNIQUE.search(str(error.orig))
    return f"uq_{found.group(1)}_{found.group(2)}" if found else ""


def _database_unavailable(error: OperationalError):
    _forget_user()
    with suppress(OperationalError):  # the connection is gone; the pool replaces it once the database answers again
        db_session().rollback()
    return answer(
        503, _("The database is not answering. Please try again shortly."), headers={"Retry-After": str(RETRY_AFTER_S)}
    )


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return error
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    _forget_user()
    return answer(500, _("Something went wrong on our side. Please try again later."))


def _forget_user() -> None:
    """Render the error page as a visitor: the signed-in user cannot be loaded from a failing database."""
    g._login_user = current_app.login_manager.anonymous_user()
