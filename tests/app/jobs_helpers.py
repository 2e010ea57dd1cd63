"""Starting jobs in tests as a given user, through the service other code calls."""
from sqlalchemy import select

from app.db import db_session
from app.jobs import enqueue
from app.models import User


def start_job(app, email: str, kind: str, params: dict, subject: str = "") -> int:
    """Enqueue a job as the user with `email` and commit (the queue gets it at the commit); its id."""
    with app.app_context():
        session = db_session()
        user = session.scalars(select(User).where(User.email == email)).one()
        job = enqueue(session, user, kind, params, subject)
        session.commit()
        return job.id
