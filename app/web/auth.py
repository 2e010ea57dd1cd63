"""Sign-in sessions (Flask-Login), the policy's door for pages, and what templates may ask of it."""

import hmac
from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from app.models import User
from app.platform.db import db_session
from app.platform.extensions import login_manager
from app.services.access import policy
from app.services.booking import lifecycle


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_message = None
    app.jinja_env.globals.update(may=_may, booking_actions=_booking_actions, lifecycle=lifecycle)

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        user_id, _, key = session_id.partition(":")
        user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active or not hmac.compare_digest(key, user.session_key()):
            return None
        return user


def allowed(action: str):
    """Pages of a policy action: others signed in get 403, strangers the sign-in page (ANYONE: everyone)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not policy.may(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        door = wrapper if policy.POLICY[action] == policy.ANYONE else login_required(wrapper)
        door.policy_action = action
        return door

    return decorate


def _may(action: str) -> bool:
    return policy.may(current_user, action)


def _booking_actions(booking) -> frozenset[str]:
    return lifecycle.allowed_actions(current_user, booking)
