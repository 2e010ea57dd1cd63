"""Page blueprints and the error pages."""

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, render_template, request
from flask_wtf import FlaskForm

from app.documents import formats, labels
from app.platform.config import unset_platform_details
from app.platform.db import db_session
from app.platform.errors import DomainError
from app.platform.verification_codes import grouped

T = TypeVar("T")


def register(app: Flask) -> None:
    from app.web.views import (
        account,
        admin,
        batch,
        batch_record,
        booking_history,
        bookings,
        catalogue,
        contracts,
        disruptions,
        equipment,
        etax,
        feeds,
        finance,
        holds,
        invoice_actions,
        invoices,
        jobs,
        main,
        my_invoices,
        operations,
        reports,
        subsidy,
        waitlist,
    )

    for module in (
        main,
        account,
        catalogue,
        equipment,
        admin,
        subsidy,
        bookings,
        operations,
        feeds,
        reports,
        booking_history,
        invoices,
        invoice_actions,
        finance,
        my_invoices,
        holds,
        jobs,
        etax,
        contracts,
        batch,
        batch_record,
        disruptions,
        waitlist,
    ):
        app.register_blueprint(module.bp)

    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(DomainError, _domain_error_page)
    app.context_processor(_unset_platform_details)
    app.add_template_filter(grouped, "grouped_code")
    labels.register(app)
    formats.register(app)


def _unset_platform_details() -> dict:
    """For the admin's banner: the platform details still printing placeholders on PDFs."""
    return {"unset_platform_details": unset_platform_details(current_app.config)}


def _error_page(error):
    allow = [(name, value) for name, value in error.get_headers() if name == "Allow"]  # a 405 names the methods
    if request.path.startswith("/api/"):
        from app.web.api.core import json_error

        return *json_error(error.code, error.description), allow
    return render_template("error.html", code=error.code), error.code, allow


def _domain_error_page(error: DomainError):
    """A service's refusal that no form caught (e.g. a record not found): an error page, never a 500."""
    return render_template("error.html", code=error.status), error.status


def commit_or_show(form: FlaskForm, action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run one service call: commit and give (True, its result); or roll back, show its refusal on the form
    and give (False, None)."""
    session = db_session()
    try:
        result = action()
    except DomainError as error:
        session.rollback()
        show_domain_error(form, error)
        return False, None
    session.commit()
    return True, result


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's field messages on the form's fields (unknown fields go to the form)."""
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]
    if not error.fields:
        form.form_errors.append(error.message)
