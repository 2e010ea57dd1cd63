"""The public equipment catalogue."""

from flask import Blueprint, render_template, request

from app.platform.db import db_session
from app.platform.numbers import sane
from app.services.plan import inventory

bp = Blueprint("catalogue", __name__)


def _volume_arg(name: str) -> float | None:
    """A sane number from the query string, else None (a bad filter is no filter)."""
    try:
        value = float(request.args[name]) if request.args.get(name) else None
    except ValueError:
        return None
    return value if value is not None and sane(value) else None


@bp.get("/catalogue")
def index():
    kind = request.args.get("kind") if request.args.get("kind") in ("liquid", "solid", "downstream") else None
    items = inventory.list_equipment(db_session(), kind, _volume_arg("min_l"), _volume_arg("max_l"))
    return render_template(
        "catalogue/index.html",
        items=items,
        kind=kind,
        min_l=request.args.get("min_l", ""),
        max_l=request.args.get("max_l", ""),
    )
