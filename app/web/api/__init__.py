"""JSON API v1 (see ../shared/API.md): bearer tokens, JSON errors, an OpenAPI 3.1 document."""

from importlib import import_module

from flask import Flask

from app.platform.extensions import csrf
from app.web.api.core import bp

ROUTE_MODULES = (
    "acceptance",
    "accounts",
    "batch_record",
    "booking_history",
    "bookings",
    "disruptions",
    "equipment",
    "invoice_actions",
    "invoices",
    "jobs",
    "openapi",
    "process_data",
    "schedule",
    "subsidy",
    "waitlist",
)


def init_api(app: Flask) -> None:
    for name in ROUTE_MODULES:  # each registers its routes on import
        import_module(f"app.web.api.{name}")

    csrf.exempt(bp)
    app.register_blueprint(bp)
