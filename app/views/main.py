"""Home page and the health check."""
from flask import Blueprint, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..db import db_session

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html")


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 "ok" when the database answers, else 503."""
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
