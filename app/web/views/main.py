"""Home page and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.documents.mail import notify_changed
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.plan.attention import needing_attention

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    attention = None
    if current_user.is_authenticated and current_user.role.value in ("operator", "admin"):
        attention = needing_attention(db_session(), current_context().rules, current_context().now())
        db_session().commit()
        notify_changed(attention.changed)
    return render_template("main/index.html", attention=attention)


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 "ok" when the database answers, else 503."""
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
