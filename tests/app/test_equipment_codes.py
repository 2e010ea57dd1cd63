"""Equipment codes follow one pattern wherever they enter (form, API, demo): letters upper-cased, digits,
- and _, at most 32 characters; anything a URL would split (a/b?c#d) is refused with a clear message."""

import re

import pytest

from app.models import Equipment
from app.ops.demo import demo_fleet
from app.platform.errors import ValidationFailed
from app.services.plan.inventory import CODE_PATTERN, equipment_code
from tests.app.test_inventory import VALID

BAD_CODES = ["a/b?c#d", "", " ", "-LF", "_LF", "LF 100", "LF.100", "LF%00", "罐1", "L" * 33, "LF100/1", "#1"]


@pytest.mark.parametrize(
    "text, code",
    [("LF100-1", "LF100-1"), (" lf100-2 ", "LF100-2"), ("ds_cen", "DS_CEN"), ("L" * 32, "L" * 32), ("7", "7")],
)
def test_a_good_code_is_trimmed_and_upper_cased(text, code):
    assert equipment_code(text) == code


@pytest.mark.parametrize("text", BAD_CODES)
def test_a_bad_code_is_refused_with_the_rule(text):
    with pytest.raises(ValidationFailed) as refused:
        equipment_code(text)
    assert "设备编号须为" in refused.value.fields["code"]


@pytest.mark.parametrize("text", ["a/b?c#d", "LF.100", "LF 100"])
def test_the_equipment_form_refuses_a_bad_code_in_chinese(make_user, sign_in, db, text):
    operator = sign_in(make_user("operator"))
    response = operator.post("/equipment/new", data={**VALID, "code": text})
    assert response.status_code == 422 and "设备编号须为" in response.get_data(as_text=True)
    assert db.query(Equipment).count() == 0


@pytest.mark.parametrize("text", ["a/b?c#d", "LF.100", "-LF"])
def test_the_api_refuses_a_bad_code(client, make_user, token_for, db, text):
    response = client.post(
        "/api/v1/equipment",
        headers=token_for(make_user("operator")),
        json={"code": text, "name": "测试罐", "kind": "liquid", "nominal_volume_l": 100},
    )
    assert response.status_code == 422 and "code" in response.get_json()["fields"]
    assert db.query(Equipment).count() == 0


def test_a_lower_case_code_is_stored_upper_case_and_its_page_opens(client, make_user, token_for, sign_in):
    operator = make_user("operator")
    made = client.post(
        "/api/v1/equipment",
        headers=token_for(operator),
        json={"code": "lf100-9", "name": "测试罐", "kind": "liquid", "nominal_volume_l": 100},
    )
    assert made.status_code == 201 and made.get_json()["code"] == "LF100-9"
    sign_in(operator)
    assert client.get("/equipment/LF100-9").status_code == 200


def test_every_demo_code_fits_the_pattern():
    assert [f.code for f in demo_fleet() if not re.fullmatch(CODE_PATTERN, f.code)] == []
