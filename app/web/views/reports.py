"""Reports for operators: vessel utilisation and service hours per customer, by month, as pages and CSV."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.documents.spreadsheets import table_download
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import ValidationFailed
from app.services.plan import reports
from app.web.auth import allowed

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.errorhandler(ValidationFailed)
def _bad_month(error: ValidationFailed):
    flash(error.message, "error")
    return render_template("error.html", code=422), 422


@bp.get("/")
@allowed("report.read")
def index():
    return redirect(url_for("reports.utilisation"))


@bp.get("/utilisation")
@allowed("report.read")
def utilisation():
    year, month = _chosen_month()
    rows = reports.vessel_utilisation(db_session(), year, month, current_context().tz)
    return render_template("reports/utilisation.html", rows=rows, **_month_context(year, month))


@bp.get("/utilisation.csv")
@allowed("report.read")
def utilisation_csv():
    year, month = _chosen_month()
    rows = reports.vessel_utilisation(db_session(), year, month, current_context().tz)
    header = [
        _("Code"),
        _("Name"),
        _("Kind"),
        _("Available hours"),
        _("Booked hours"),
        _("Turnaround hours"),
        _("Utilisation, percent"),
    ]
    body = [
        [
            r.code,
            r.name,
            _kind_name(r.kind),
            _hours(r.available_h),
            _hours(r.booked_h),
            _hours(r.turnaround_h),
            "" if r.utilisation is None else f"{r.utilisation * 100:.1f}",
        ]
        for r in rows
    ]
    return table_download(f"utilisation-{year}-{month:02d}.csv", header, body)


@bp.get("/service-hours")
@allowed("report.read")
def service_hours():
    year, month = _chosen_month()
    rows = reports.customer_service_hours(db_session(), year, month, current_context().tz)
    return render_template("reports/service_hours.html", rows=rows, **_month_context(year, month))


@bp.get("/service-hours.csv")
@allowed("report.read")
def service_hours_csv():
    year, month = _chosen_month()
    rows = reports.customer_service_hours(db_session(), year, month, current_context().tz)
    header = [_("Company"), _("Number of bookings"), _("Service hours (main stage)")]
    body = [[r.company, r.bookings, _hours(r.service_h)] for r in rows]
    return table_download(f"service-hours-{year}-{month:02d}.csv", header, body)


def _chosen_month() -> tuple[int, int]:
    today = current_context().today()
    return reports.parse_month(request.args.get("year"), request.args.get("month"), today)


def _month_context(year: int, month: int) -> dict:
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return {"year": year, "month": month, "previous": previous, "following": following}


def _kind_name(kind: str) -> str:
    names = {"liquid": _("Liquid fermenter"), "solid": _("Solid-state fermenter"), "downstream": _("Downstream unit")}
    return names.get(kind, kind)


def _hours(value: float) -> str:
    return f"{value:.1f}"
