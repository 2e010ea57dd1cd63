"""Staff see who holds what: per company, the vessel-hours its unconfirmed requests hold and when they expire."""
from flask import Blueprint, render_template

from ..auth import STAFF, roles_required
from ..db import db_session
from ..plant import plant_rules, utcnow
from ..services import holds

bp = Blueprint("holds", __name__, url_prefix="/holds")


@bp.get("/")
@roles_required(*STAFF)
def index():
    return render_template("holds/index.html", held=holds.holds_by_company(db_session(), utcnow()),
                           limits=plant_rules().limits)
