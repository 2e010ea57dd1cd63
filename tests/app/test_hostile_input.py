"""Bad input is refused with a message — JSON with fields on the API, a Chinese page elsewhere — and changes
nothing; it never gives a 500. A table of what an attacker and a careless client sent, for the API and the
web forms."""

import json
from dataclasses import dataclass

import pytest

from app.models import AuditEntry, Company
from tests.app.billing_data import LINE, load_price_list
from tests.app.booking_data import local, request_body
from tests.factories import PASSWORD, valid_uscc

FAR_FUTURE, FAR_PAST = "9999-12-31T20:00:00-12:00", "0001-01-01T00:00:00+14:00"


@dataclass
class People:
    """Who sends the requests: API headers and signed-in page clients per role, and their objects."""

    headers: dict
    pages: dict
    booking_id: int
    draft_id: int
    other_uscc: str
    company_id: int


@pytest.fixture
def people(app, client, db, make_company, make_user, add_equipment, token_for) -> People:
    add_equipment("LF100-1", "liquid", 100)
    load_price_list(app)
    company_id, customer = make_company()
    other_uscc = db.get(Company, make_company()[0]).uscc
    roles = {"customer": customer, **{role: make_user(role) for role in ("operator", "finance", "admin")}}
    headers = {role: token_for(email) for role, email in roles.items()}
    pages = {}
    for role, email in roles.items():
        pages[role] = app.test_client()
        assert pages[role].post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    booking = client.post("/api/v1/bookings", headers=headers["customer"], json=request_body())
    draft = client.post(
        "/api/v1/invoices", headers=headers["finance"], json={"company_id": company_id, "lines": [LINE]}
    )
    return People(headers, pages, booking.get_json()["id"], draft.get_json()["id"], other_uscc, company_id)


def moment(text: str) -> str:
    """A form's datetime-local value."""
    return text[:16]


def booking_form(**overrides) -> dict:
    data = {
        "service": "scale_up",
        "kind": "liquid",
        "working_volume_l": "60",
        "duration_h": "48",
        "earliest_start": moment(local(2, 8).isoformat()),
        "latest_end": moment(local(30, 20).isoformat()),
        "organism": "枯草芽孢杆菌",
        "organism_family": "bacillus",
        "biosafety_level": "1",
        "extraction_unit": "",
        "notes": "",
        "action": "search",
    }
    return {**data, **overrides}


def stage_moves(booking_id: int, start: str, end: str) -> dict:
    return {
        "moves": [
            {
                "booking_id": booking_id,
                "stages": [{"stage": "main", "equipment": "LF100-1", "start": start, "end": end}],
            }
        ]
    }


API_CASES = [  # (who, method, path, JSON body or raw text, fields that must be named)
    ("anyone", "POST", "/api/v1/tokens", "[" * 100_000, {"body"}),
    (
        "anyone",
        "POST",
        "/api/v1/companies",
        {"name": "甲\x00乙", "uscc": valid_uscc(40), "contact_name": "王", "email": "nul@example.com", "password": "x"},
        {"body.name"},
    ),
    ("customer", "POST", "/api/v1/bookings", request_body(notes="a\x00b"), {"body.notes"}),
    ("customer", "POST", "/api/v1/bookings", request_body(earliest_start=FAR_FUTURE), {"earliest_start"}),
    ("customer", "POST", "/api/v1/bookings", request_body(earliest_start=FAR_PAST), {"earliest_start"}),
    ("customer", "POST", "/api/v1/bookings", request_body(duration_h=1e-300), {"duration_h"}),
    (
        "customer",
        "GET",
        "/api/v1/availability?kind=liquid&working_volume_l=60&duration_h=48"
        f"&earliest_start={FAR_PAST.replace('+', '%2B')}&latest_end=2030-01-01T00:00:00%2B08:00",
        None,
        {"earliest_start"},
    ),
    (
        "operator",
        "POST",
        "/api/v1/equipment/LF%00/maintenance",
        {"start": "2030-01-01T00:00:00+08:00", "end": "2030-01-02T00:00:00+08:00"},
        {"code"},
    ),
    (
        "operator",
        "POST",
        "/api/v1/equipment/LF100-1/maintenance",
        {"start": "0001-01-01T00:00:00+08:00", "end": "0001-01-02T00:00:00+08:00"},
        {"start", "end"},
    ),
    ("operator", "POST", "/api/v1/schedule/optimize", '{"time_limit_s": NaN}', {"time_limit_s"}),
    (
        "operator",
        "POST",
        "/api/v1/schedule/apply",
        stage_moves(1, "9999-01-01T08:00:00+08:00", "9999-01-03T08:00:00+08:00"),
        {"moves.0.stages.0.start", "moves.0.stages.0.end"},
    ),
    (
        "operator",
        "POST",
        "/api/v1/bookings/1/complete",
        {"actual_start": "0001-01-01T00:00:00+08:00", "actual_end": "9999-01-01T00:00:00+08:00"},
        {"actual_start", "actual_end"},
    ),
    ("finance", "POST", "/api/v1/invoices/{draft}/issue", {"issued_at": "9999-12-31T00:00:00+08:00"}, {"issued_at"}),
    (
        "admin",
        "PATCH",
        "/api/v1/companies/{company}",
        {"uscc": "{other_uscc}", "uscc_override_reason": "录入"},
        {"uscc"},
    ),
]


@pytest.mark.parametrize("who, method, path, body, fields", API_CASES)
def test_the_api_refuses_bad_input_with_json_naming_the_fields(client, db, people, who, method, path, body, fields):
    path = path.format(draft=people.draft_id, company=people.company_id)
    if isinstance(body, dict):
        body = json.loads(json.dumps(body).replace("{other_uscc}", people.other_uscc))
    before = db.query(AuditEntry).count()
    response = client.open(
        path,
        method=method,
        headers=people.headers.get(who, {}),
        **(
            {"json": body}
            if isinstance(body, dict)
            else {"data": body, "content_type": "application/json"}
            if body
            else {}
        ),
    )
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert answer["error"] and fields <= set(answer["fields"]), answer
    assert db.query(AuditEntry).count() == before


PAGE_CASES = [  # (who, method, path, form data, a fragment of the Chinese message)
    ("anyone", "GET", "/?lang=xx", None, "中试平台"),
    ("anyone", "GET", "/login?lang=%00", None, "空字符"),
    ("anyone", "GET", "/catalogue?min_l=nan&max_l=1e999", None, "设备目录"),
    (
        "anyone",
        "POST",
        "/register",
        {
            "name": "甲\x00乙",
            "uscc": valid_uscc(41),
            "contact_name": "王",
            "email": "nul2@example.com",
            "password": "x",
        },
        "空字符",
    ),
    ("customer", "POST", "/bookings/new", booking_form(duration_h="inf"), "有效的数字"),
    ("customer", "POST", "/bookings/new", booking_form(duration_h="1e30"), "有效的数字"),
    ("customer", "POST", "/bookings/new", booking_form(duration_h="1e6"), "发酵时长须在"),
    ("customer", "POST", "/bookings/new", booking_form(duration_h="1e-300"), "发酵时长须在"),
    ("customer", "POST", "/bookings/new", booking_form(working_volume_l="nan"), "有效的数字"),
    (
        "customer",
        "POST",
        "/bookings/new",
        booking_form(action="book", equipment="LF100-1", start="garbage"),
        "日期时间格式无效",
    ),
    ("customer", "POST", "/bookings/new", booking_form(earliest_start="9999-12-31T20:00"), "2100"),
    ("customer", "POST", "/bookings/new", booking_form(notes="a\x00b"), "空字符"),
    ("operator", "GET", "/operations/board?start=0001-01-01", None, "排程"),
    ("operator", "GET", "/operations/board?start=9999-12-31", None, "排程"),
    (
        "operator",
        "POST",
        "/equipment/LF100-1/maintenance",
        {"start": "0001-01-01T00:00", "end": "0001-01-02T00:00"},
        "2000",
    ),
    ("operator", "POST", "/operations/optimize", {"time_limit_s": "nan"}, ""),
    (
        "operator",
        "POST",
        "/operations/apply",
        {
            "moves": json.dumps(
                {"{booking}": [["main", "LF100-1", "9999-01-01T08:00:00+08:00", "9999-01-03T08:00:00+08:00"]]}
            )
        },
        "无法读取",
    ),
    (
        "operator",
        "POST",
        "/operations/bookings/{booking}/move",
        {"stage": "main", "equipment": "LF100-1", "start": "9999-01-01T08:00"},
        "2100",
    ),
    (
        "operator",
        "POST",
        "/operations/bookings/{booking}/complete",
        {"actual_start": "0001-01-01T00:00", "actual_end": "9999-01-01T00:00"},
        "2000",
    ),
    ("finance", "POST", "/finance/invoices/{draft}/issue", {"issued_at": "9999-12-31T00:00"}, "2100"),
    ("admin", "POST", "/subsidy/2026/policy", {"rate": "1e999", "cap": "1000000", "basis": "invoiced"}, "大于零"),
    (
        "admin",
        "POST",
        "/admin/companies/{company}",
        {"uscc": "{other_uscc}", "override_reason": "录入"},
        "已被其他公司使用",
    ),
]


@pytest.mark.parametrize("who, method, path, data, message", PAGE_CASES)
def test_the_pages_refuse_bad_input_with_a_chinese_message(client, db, people, who, method, path, data, message):
    path = path.format(draft=people.draft_id, company=people.company_id, booking=people.booking_id)
    data = (
        {
            k: v.replace("{other_uscc}", people.other_uscc).replace("{booking}", str(people.booking_id))
            for k, v in data.items()
        }
        if data
        else None
    )
    before = db.query(AuditEntry).count()
    response = people.pages.get(who, client).open(path, method=method, data=data, follow_redirects=True)
    assert response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert db.query(AuditEntry).count() == before
