"""Sign-in sessions (Flask-Login) and role checks for pages."""

import hmac
from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from app.models import Role, User
from app.platform.db import db_session
from app.platform.extensions import login_manager


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        user_id, _, key = session_id.partition(":")
        user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active or not hmac.compare_digest(key, user.session_key()):
            return None
        return user


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
