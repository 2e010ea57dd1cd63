"""Calendar subscriptions: a company's work by secret URL, a vessel's work for staff (signed in or by token)."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.calendar_feed import calendar_document, company_summary, equipment_summary
from app.models import Company, Equipment
from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import NotFound
from app.platform.extensions import login_manager
from app.services.access import policy
from app.services.booking import feeds
from app.services.plan import inventory
from app.web.auth import allowed

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.errorhandler(NotFound)
def _not_found(_error):
    return render_template("error.html", code=404), 404


@bp.get("/company/<token>.ics")
def company_feed(token: str):
    session = db_session()
    company = feeds.company_for_token(session, _secret(), token)
    items = feeds.company_allocations(session, company.id, current_context().now())
    return _ics(_("Pilot plant bookings") + f" · {company.name}", items, company_summary, f"company-{company.id}")


@bp.get("/equipment/<code>.ics")
def equipment_feed(code: str):
    token = request.args.get("token")
    if token is None and not current_user.is_authenticated:
        return login_manager.unauthorized()
    if token is None and not policy.may(current_user, "equipment.feeds"):
        abort(403)
    session = db_session()
    item = inventory.equipment_by_code(session, code)
    if token is not None:
        feeds.check_equipment_token(_secret(), item, token)
    items = feeds.equipment_allocations(session, item.id, current_context().now())
    return _ics(f"{item.code} {item.name}", items, equipment_summary, item.code)


@bp.get("/equipment")
@allowed("equipment.feeds")
def equipment_feeds():
    """Staff: the subscription URL of every vessel's calendar."""
    vessels = inventory.list_equipment(db_session())
    links = [(item, equipment_feed_url(item)) for item in vessels]
    return render_template("feeds/equipment.html", links=links)


@bp.post("/equipment/<code>/replace")
@allowed("equipment.feed_replace")
def replace_equipment_feed(code: str):
    session = db_session()
    feeds.replace_equipment_feed(session, current_user, code)
    session.commit()
    flash(_("The calendar address of %(code)s is replaced: the old address no longer works.", code=code), "success")
    return redirect(url_for("feeds.equipment_feeds"))


@bp.app_template_global()
def company_feed_url(company: Company) -> str:
    """The secret subscription URL of a company's calendar (shown on the company's page)."""
    token = feeds.company_feed_token(_secret(), company.id, company.feed_generation)
    return _public(url_for("feeds.company_feed", token=token))


def equipment_feed_url(item: Equipment) -> str:
    token = feeds.equipment_feed_token(_secret(), item.code, item.feed_generation)
    return _public(url_for("feeds.equipment_feed", code=item.code, token=token))


def _ics(name: str, items, summary, filename: str) -> Response:
    document = calendar_document(name, items, summary, current_app.config["PUBLIC_BASE_URL"], current_context().now())
    return Response(
        document,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{filename}.ics"', "Cache-Control": "private, max-age=300"},
    )


def _public(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _secret() -> str:
    return current_app.config["SECRET_KEY"]
