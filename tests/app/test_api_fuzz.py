"""API fuzzing: schemathesis makes requests from the served OpenAPI document, as each role that may use the
operation, against two companies' data; no answer is a server error and every answer matches the document
(all of schemathesis's checks, among them that an operation refuses a request without a token)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from app import create_app
from app.web.api.core import ANYONE, OPERATIONS, SIGNED_IN
from app.web.api.openapi import openapi_path
from tests.factories import PASSWORD

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"deterministic": True, "database": "none", "max-examples": 10},
        # Schema-valid input may still break a rule that a schema cannot say (a start in the past, an end before
        # the start, an overpayment): API.md answers those with 422.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]}},
    }
)
# Times as an attacker sends them, besides ordinary ones: the first and last days ISO 8601 can write, with the
# offsets furthest from UTC (they overflowed arithmetic once); the app refuses them with 422, never a 500.
EDGE_TIMES = st.sampled_from(
    [
        "9999-12-31T20:00:00-12:00",
        "0001-01-01T00:00:00+14:00",
        "1900-01-01T00:00:00+08:00",
        "2100-12-31T23:59:59-12:00",
        "1999-12-31T23:59:59+14:00",
    ]
)
ORDINARY_TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))]),
)
schemathesis.openapi.format("date-time", st.one_of(EDGE_TIMES, ORDINARY_TIMES.map(datetime.isoformat)))

# The document as the API serves it (building it needs no database); the requests go to the seeded app.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"DATABASE_URL": "sqlite://"}), config=CONFIG
)

SIGNED_IN_ROLES = ["customer", "operator", "finance", "admin", "bureau"]
WHO = {(openapi_path(op.rule), op.method): op.who for op in OPERATIONS}


def roles_for(case) -> list[str]:
    who = WHO[(case.operation.path, case.operation.method.upper())]
    if who == ANYONE:
        return ["anonymous"]
    return SIGNED_IN_ROLES if who == SIGNED_IN else [role.value for role in who]


# Parametrized (with the one data set) because pytest 9 names schemathesis's items apart only then.
@pytest.fixture(scope="module", params=["two companies"])
def plant(two_companies):
    """The fuzzer's changes pile up in the two companies' database."""
    return two_companies


@schema.parametrize()
@settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
)
def test_no_request_breaks_the_api_or_its_document(case, plant):
    app, data = plant
    tokens = {**data.tokens, "customer": data.tokens["a"], "anonymous": {}}
    for role in roles_for(case):
        headers = fresh_token(app, data, role) if signs_out(case) else tokens[role]
        case.call_and_validate(app=app, headers=headers)


def signs_out(case) -> bool:
    """Whether the request revokes the token it comes with (the shared tokens must outlive the fuzzing)."""
    return (case.operation.path, case.operation.method.upper()) == ("/api/v1/tokens/current", "DELETE")


def fresh_token(app, data, role: str) -> dict:
    email = data.a.admin if role == "customer" else data.staff[role]
    response = app.test_client().post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}
