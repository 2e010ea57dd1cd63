"""JSON API v1 (see ../shared/API.md): bearer tokens, JSON errors, an OpenAPI 3.1 document."""
from flask import Flask

from ..extensions import csrf
from .core import bp


def init_api(app: Flask) -> None:
    from . import (  # noqa: F401  (they add routes to bp)  # noqa: F401
        acceptance,
        accounts,
        batch_record,
        booking_history,  # noqa: F401
        bookings,
        disruptions,
        equipment,
        invoice_actions,
        invoices,
        jobs,
        openapi,
        process_data,
        schedule,
        subsidy,
        waitlist,
    )

    csrf.exempt(bp)
    app.register_blueprint(bp)
