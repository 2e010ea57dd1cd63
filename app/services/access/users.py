"""Finding a user by e-mail address and storing a new one (the password already hashed)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Role, User
from app.services.access.passwords import NewPassword


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def new_user(
    session: Session,
    email: str,
    role: Role,
    password: NewPassword,
    company_id: int | None,
    name: str = "",
    verified_at: datetime | None = None,
) -> User:
    user = User(
        email=email.strip().lower(),
        role=role,
        company_id=company_id,
        name=name,
        password_hash=password.hash,
        email_verified_at=verified_at,
    )
    session.add(user)
    session.flush()
    return user
