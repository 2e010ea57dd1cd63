"""Sign-in and registration for pages and the API alike, with the slow password hashing outside every write
transaction (on SQLite a write transaction holds the database's only write lock).

Sign-in: (1) a short transaction counts the attempt and reads the stored hash; (2) the hash is checked with no
transaction open (an unknown account is checked against a dummy, so it takes as long); (3) a short transaction
confirms the user. Registration: (1) counts the address's registration; (2) hashes; (3) stores, then mails."""

from flask import current_app

from app.documents.account_mail import send_confirmation, send_registration_attempt
from app.models import User
from app.platform.context import current_context
from app.platform.db import db_session, end_transaction
from app.platform.errors import DomainError
from app.services.access import accounts, registration
from app.services.access.passwords import new_password, password_matches


def sign_in(email: str, password: str, remote_addr: str) -> User:
    """The user with these credentials, or a DomainError (422 wrong, 429 must wait); commits its own work."""
    session = db_session()
    try:
        stored = accounts.begin_sign_in(session, email, remote_addr, current_context().now(), sign_in_limits())
    except DomainError:
        session.rollback()
        raise
    end_transaction()
    matched = password_matches(stored, password)
    user = accounts.finish_sign_in(session, email, remote_addr, stored, matched)
    session.commit()
    return user


def sign_in_limits() -> accounts.SignInLimits:
    return accounts.SignInLimits.from_config(current_app.config)


def register(details: registration.CompanyDetails, password: str, remote_addr: str) -> registration.Registration:
    """Register the company (or raise a DomainError); the new user gets a confirmation link, an existing
    address's owner a note instead; both answers look the same to the caller."""
    session = db_session()
    try:
        registration.count_registration(
            session, remote_addr, current_context().now(), current_app.config["REGISTRATIONS_PER_ADDRESS"]
        )
    except DomainError:
        session.rollback()
        raise
    end_transaction()
    chosen = new_password(password)
    try:
        done = registration.register_company(session, details, chosen)
    except DomainError:
        session.rollback()
        raise
    session.commit()
    if done.user is not None:
        send_confirmation(done.user)
    else:
        send_registration_attempt(done.existing_owner, done.company.name)
    return done
