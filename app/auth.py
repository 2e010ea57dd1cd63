"""Sign-in sessions (Flask-Login) and role checks for pages."""
from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from .db import db_session
from .extensions import login_manager
from .models import Role, User


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        user = db_session().get(User, int(user_id))
        return user if user is not None and user.active else None


def roles_required(*roles: Role):
    """Pages for signed-in users of the given roles; others get 403."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


STAFF = (Role.OPERATOR, Role.FINANCE, Role.ADMIN)
