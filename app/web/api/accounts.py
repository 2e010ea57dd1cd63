"""Tokens and companies."""

from flask import current_app, g, jsonify, request

from app.models import Company
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.access import accounts, credentials, registration
from app.web import identity
from app.web.api.core import ANYONE, SIGNED_IN, current, endpoint
from app.web.api.schemas import CompanyIn, CompanyPatch, TokenIn


def company_json(company: Company) -> dict:
    return {
        "id": company.id,
        "name": company.name,
        "uscc": company.uscc,
        "contact_name": company.contact_name,
        "email": company.email,
        "phone": company.phone,
        "address": company.address,
        "bank_name": company.bank_name,
        "bank_account": company.bank_account,
        "is_affiliated": company.is_affiliated,
        "approved": company.approved,
        "approval": company.approval.value,
        "is_sme": company.is_sme,
        "sme_source": company.sme_source,
        "sme_checked_on": company.sme_checked_on.isoformat() if company.sme_checked_on else None,
        "in_hohhot": company.in_hohhot,
    }


@endpoint(
    "/tokens",
    "POST",
    "Exchange e-mail and password for a bearer token",
    ANYONE,
    body=TokenIn,
    status=201,
    responses={422: "bad credentials or input", 429: "too many failures"},
)
def create_token(body: TokenIn):
    user = identity.sign_in(body.email, body.password, request.remote_addr or "")
    session = db_session()
    token = credentials.issue_token(session, user, current_context().now(), current_app.config["API_TOKEN_DAYS"])
    session.commit()
    return jsonify({"token": token, "role": user.role.value}), 201


@endpoint("/tokens/current", "DELETE", "Revoke the bearer token of this request (sign out)", SIGNED_IN, status=204)
def revoke_current_token():
    session = db_session()
    credentials.revoke_presented(session, current(), g.api_token, current_context().now())
    session.commit()
    return "", 204


@endpoint(
    "/companies",
    "POST",
    "Register a company and its first user (company admin); the company awaits the "
    "platform's approval and the user is mailed a confirmation link",
    ANYONE,
    body=CompanyIn,
    status=201,
    responses={409: "USCC or company name taken", 422: "invalid input", 429: "too many registrations"},
)
def register_company(body: CompanyIn):
    fields = body.model_dump(exclude={"password"})
    done = identity.register(registration.CompanyDetails(**fields), body.password, request.remote_addr or "")
    return jsonify(company_json(done.company)), 201


@endpoint(
    "/companies/<int:company_id>",
    "GET",
    "A company (customers: their own only)",
    SIGNED_IN,
    responses={404: "not found"},
)
def get_company(company_id: int):
    return jsonify(company_json(accounts.company_for(db_session(), current(), company_id)))


@endpoint(
    "/companies/<int:company_id>",
    "PATCH",
    "Change a company (admin): approve or refuse it, affiliation, USCC, details",
    "company.manage",
    body=CompanyPatch,
    responses={404: "not found", 422: "invalid input"},
)
def patch_company(company_id: int, body: CompanyPatch):
    session = db_session()
    company = accounts.company_for(session, current(), company_id)
    accounts.patch_company(session, current(), company, body.model_dump(exclude_unset=True), current_context().now())
    session.commit()
    return jsonify(company_json(company))
