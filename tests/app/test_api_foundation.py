"""The JSON API as outside clients use it: tokens, companies, equipment, errors."""

import pytest

from app.models import Company, Equipment
from tests.factories import PASSWORD, valid_uscc

NEW_COMPANY = {
    "name": "接口测试有限公司",
    "uscc": valid_uscc(777),
    "contact_name": "赵六",
    "email": "api@example.com",
    "password": "api-pass-1",
}
FERMENTER = {"code": "LF300", "name": "300 L 发酵罐", "kind": "liquid", "nominal_volume_l": 300}


def test_a_company_registers_through_the_api_and_gets_a_token(client, db):
    response = client.post("/api/v1/companies", json=NEW_COMPANY)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["name"], body["uscc"]) == (NEW_COMPANY["name"], NEW_COMPANY["uscc"])
    token = client.post("/api/v1/tokens", json={"email": "api@example.com", "password": "api-pass-1"})
    assert token.status_code == 201 and len(token.get_json()["token"]) > 30


@pytest.mark.parametrize(
    "body, field",
    [
        ({**NEW_COMPANY, "uscc": "91350203M0001QAY9X"}, "uscc"),
        ({**NEW_COMPANY, "uscc": "short"}, "uscc"),
        ({**NEW_COMPANY, "email": "not-an-email"}, "email"),
        ({k: v for k, v in NEW_COMPANY.items() if k != "name"}, "name"),
        ({**NEW_COMPANY, "password": "weak"}, "password"),
        ({**NEW_COMPANY, "name": 12}, "name"),
    ],
)
def test_bad_registrations_answer_422_with_the_field_and_save_nothing(client, db, body, field):
    response = client.post("/api/v1/companies", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert db.query(Company).count() == 0


@pytest.mark.parametrize(
    "raw, content_type",
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("", "application/json"),
        ("name=x", "application/x-www-form-urlencoded"),
    ],
)
def test_a_malformed_body_answers_422_not_500(client, raw, content_type):
    response = client.post("/api/v1/companies", data=raw, content_type=content_type)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"body": "expected a JSON object"}


def test_wrong_credentials_answer_422_and_no_token(client, make_company):
    _, email = make_company()
    response = client.post("/api/v1/tokens", json={"email": email, "password": "wrong-pass-9"})
    assert response.status_code == 422 and "token" not in response.get_json()


def test_the_catalogue_is_public_and_filters_by_kind(client, add_equipment):
    add_equipment("L100", "liquid", 100)
    add_equipment("S75", "solid", 75)
    items = client.get("/api/v1/equipment?kind=solid").get_json()["items"]
    assert [i["code"] for i in items] == ["S75"]
    assert set(items[0]) >= {
        "code",
        "name",
        "kind",
        "nominal_volume_l",
        "min_working_volume_l",
        "max_working_volume_l",
        "turnaround_h",
        "status",
    }
    assert client.get("/api/v1/equipment?kind=gas").status_code == 422


def test_only_operators_add_equipment(client, make_company, make_user, token_for, db):
    _, customer = make_company()
    assert client.post("/api/v1/equipment", json=FERMENTER).status_code == 401
    assert client.post("/api/v1/equipment", json=FERMENTER, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post("/api/v1/equipment", json=FERMENTER, headers=token_for(customer)).status_code == 403
    response = client.post("/api/v1/equipment", json=FERMENTER, headers=token_for(make_user("operator")))
    assert response.status_code == 201
    assert response.get_json()["max_working_volume_l"] == 210
    assert db.query(Equipment).count() == 1


def test_a_25_litre_fermenter_is_refused_by_the_api_with_a_field_message(client, make_user, token_for, db):
    response = client.post(
        "/api/v1/equipment", json={**FERMENTER, "nominal_volume_l": 25}, headers=token_for(make_user("operator"))
    )
    assert response.status_code == 422
    assert "30 L 至 20,000 L" in response.get_json()["fields"]["nominal_volume_l"]
    assert db.query(Equipment).count() == 0


def test_maintenance_needs_an_end_after_its_start_and_an_offset(client, make_user, token_for, add_equipment):
    add_equipment("L100")
    headers = token_for(make_user("operator"))
    url = "/api/v1/equipment/L100/maintenance"
    ok = client.post(
        url,
        json={"start": "2027-01-01T08:00:00+08:00", "end": "2027-01-01T20:00:00+08:00", "reason": "年检"},
        headers=headers,
    )
    assert ok.status_code == 201 and ok.get_json()["start"] == "2027-01-01T08:00:00+08:00"
    backwards = client.post(
        url, json={"start": "2027-01-02T08:00:00+08:00", "end": "2027-01-01T08:00:00+08:00"}, headers=headers
    )
    assert backwards.status_code == 422 and "end" in backwards.get_json()["fields"]
    naive = client.post(url, json={"start": "2027-01-02T08:00:00", "end": "2027-01-03T08:00:00"}, headers=headers)
    assert naive.status_code == 422 and "start" in naive.get_json()["fields"]
    unknown = client.post(
        "/api/v1/equipment/NOPE/maintenance",
        json={"start": "2027-01-02T08:00:00+08:00", "end": "2027-01-03T08:00:00+08:00"},
        headers=headers,
    )
    assert unknown.status_code == 404


def test_another_companys_id_answers_404_and_ones_own_answers_200(client, make_company, token_for):
    mine, email = make_company()
    theirs, _ = make_company()
    headers = token_for(email)
    assert client.get(f"/api/v1/companies/{mine}", headers=headers).status_code == 200
    other = client.get(f"/api/v1/companies/{theirs}", headers=headers)
    assert other.status_code == 404 and "name" not in other.get_json()
    assert client.get("/api/v1/companies/999999", headers=headers).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/companies/{}", "/api/v1/bookings/{}", "/api/v1/bookings/{}/cancel"])
def test_an_id_beyond_the_databases_integers_is_not_found(client, make_company, token_for, path):
    _, email = make_company()
    url = path.format(2**63)
    response = client.open(url, method="POST" if url.endswith("cancel") else "GET", headers=token_for(email))
    assert response.status_code == 404


def test_an_admin_marks_a_company_affiliated_and_others_may_not(client, make_company, make_user, token_for, db):
    company_id, email = make_company()
    assert (
        client.patch(
            f"/api/v1/companies/{company_id}", json={"is_affiliated": True}, headers=token_for(email)
        ).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/companies/{company_id}", json={"is_affiliated": True}, headers=token_for(make_user("admin"))
    )
    assert response.status_code == 200 and response.get_json()["is_affiliated"] is True


def test_an_admin_overrides_a_failing_uscc_only_with_a_reason(client, make_company, make_user, token_for, db):
    company_id, _ = make_company()
    headers = token_for(make_user("admin"))
    url = f"/api/v1/companies/{company_id}"
    refused = client.patch(url, json={"uscc": "91350203M0001QAY9X"}, headers=headers)
    assert refused.status_code == 422 and "uscc" in refused.get_json()["fields"]
    accepted = client.patch(
        url, json={"uscc": "91350203M0001QAY9X", "uscc_override_reason": "营业执照原件如此"}, headers=headers
    )
    assert accepted.status_code == 200
    company = db.get(Company, company_id)
    assert (company.uscc, company.uscc_override_reason) == ("91350203M0001QAY9X", "营业执照原件如此")


def test_unknown_api_paths_and_methods_answer_json(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and "error" in missing.get_json()
    wrong_method = client.delete("/api/v1/equipment")
    assert wrong_method.status_code == 405 and "error" in wrong_method.get_json()
    assert set(wrong_method.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_a_token_is_stored_only_as_a_hash(client, make_company, db):
    from app.models import ApiToken

    _, email = make_company()
    token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
    stored = db.query(ApiToken).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
