"""Jobs in tests: started as a given user through the service other code calls, or recorded by hand."""

from sqlalchemy import select

from app.jobs import enqueue
from app.models import Job, User
from app.platform.db import db_session


def start_job(app, email: str, kind: str, params: dict, subject: str = "") -> int:
    """Enqueue a job as the user with `email` and commit (the queue gets it at the commit); its id."""
    with app.app_context():
        session = db_session()
        user = session.scalars(select(User).where(User.email == email)).one()
        job = enqueue(session, user, kind, params, subject)
        session.commit()
        return job.id


def queued_job(db, requested_by: int | None, **fields) -> Job:
    """A job recorded but never handed to a queue (as if no worker had taken it yet)."""
    job = Job(kind="test.count", requested_by=requested_by, parameters={"steps": 1}, **fields)
    db.add(job)
    db.commit()
    return job


def user_id(db, email: str) -> int:
    return db.query(User).filter_by(email=email).one().id
