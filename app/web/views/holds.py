"""Staff see who holds what: per company, the vessel-hours its unconfirmed requests hold and when they expire."""

from flask import Blueprint, render_template

from app.platform.context import current_context
from app.platform.db import db_session
from app.services.booking import holds
from app.web.auth import allowed

bp = Blueprint("holds", __name__, url_prefix="/holds")


@bp.get("/")
@allowed("hold.read")
def index():
    return render_template(
        "holds/index.html",
        held=holds.holds_by_company(db_session(), current_context().now()),
        limits=current_context().rules.limits,
    )
