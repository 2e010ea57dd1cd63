"""Operators keep the inventory; sizes outside the plant's ranges are refused with a clear message."""

import pytest

from app.models import AuditEntry, Equipment, MaintenanceWindow

VALID = {
    "name": "测试罐",
    "kind": "liquid",
    "nominal_volume_l": "100",
    "turnaround_h": "5",
    "changeover_h": "1",
    "biosafety_level": "1",
    "unit_type": "",
    "description": "",
}


@pytest.fixture
def operator(make_user, sign_in):
    return sign_in(make_user("operator"))


@pytest.mark.parametrize(
    "kind, nominal, accepted",
    [
        ("liquid", 25, False),
        ("liquid", 29.9, False),
        ("liquid", 30, True),
        ("liquid", 20_000, True),
        ("liquid", 20_001, False),
        ("solid", 74, False),
        ("solid", 75, True),
        ("solid", 15_000, True),
        ("solid", 15_001, False),
    ],
)
def test_nominal_volume_must_lie_in_the_kinds_range(operator, db, kind, nominal, accepted):
    response = operator.post(
        "/equipment/new", data={**VALID, "code": "T1", "kind": kind, "nominal_volume_l": str(nominal)}
    )
    assert (response.status_code == 302) is accepted
    assert db.query(Equipment).count() == (1 if accepted else 0)


def test_a_25_litre_liquid_fermenter_is_refused_with_a_chinese_message(operator, db):
    response = operator.post("/equipment/new", data={**VALID, "code": "T1", "nominal_volume_l": "25"})
    assert response.status_code == 422
    assert "液体发酵罐的公称容积须在 30 L 至 20,000 L 之间" in response.get_data(as_text=True)


def test_an_empty_working_window_takes_the_kinds_default(operator, db):
    operator.post("/equipment/new", data={**VALID, "code": "S1", "kind": "solid", "nominal_volume_l": "500"})
    item = db.query(Equipment).one()
    assert (item.min_working_volume_l, item.max_working_volume_l) == (100, 300)


def test_min_working_volume_above_max_is_refused(operator, db):
    response = operator.post(
        "/equipment/new", data={**VALID, "code": "T1", "min_working_volume_l": "80", "max_working_volume_l": "40"}
    )
    assert response.status_code == 422
    assert "最小工作体积（80 L）不能大于最大工作体积（40 L）" in response.get_data(as_text=True)
    assert db.query(Equipment).count() == 0


def test_an_operator_edits_and_retires_equipment_and_it_leaves_the_catalogue(operator, db, client):
    operator.post("/equipment/new", data={**VALID, "code": "T1"})
    operator.post("/equipment/T1/edit", data={**VALID, "code": "T1", "name": "新名称"})
    assert db.query(Equipment).one().name == "新名称"
    assert "T1" in client.get("/catalogue").get_data(as_text=True)
    operator.post("/equipment/T1/status/retired")
    assert db.query(Equipment).one().status.value == "retired"
    assert "T1" not in client.get("/catalogue").get_data(as_text=True)
    assert [e.action for e in db.query(AuditEntry).order_by(AuditEntry.id)][-3:] == [
        "equipment.added",
        "equipment.updated",
        "equipment.status",
    ]


def test_maintenance_ending_before_it_starts_is_refused(operator, db):
    operator.post("/equipment/new", data={**VALID, "code": "T1"})
    response = operator.post(
        "/equipment/T1/maintenance", data={"start": "2027-01-10T08:00", "end": "2027-01-09T08:00", "reason": "检修"}
    )
    assert response.status_code == 422
    assert "结束时间须晚于开始时间" in response.get_data(as_text=True)
    assert db.query(MaintenanceWindow).count() == 0


def test_maintenance_typed_in_local_time_is_stored_in_utc(operator, db):
    operator.post("/equipment/new", data={**VALID, "code": "T1"})
    operator.post(
        "/equipment/T1/maintenance", data={"start": "2027-01-10T08:00", "end": "2027-01-10T20:00", "reason": "检修"}
    )
    window = db.query(MaintenanceWindow).one()
    assert (window.start.hour, window.end.hour) == (0, 12)


def test_a_customer_cannot_open_the_operator_pages(client, make_company, sign_in):
    _, email = make_company()
    sign_in(email)
    assert client.get("/equipment/").status_code == 403
    assert client.post("/equipment/new", data={**VALID, "code": "T1"}).status_code == 403


def test_the_catalogue_filters_by_kind_and_size_and_shows_the_working_window(client, add_equipment):
    add_equipment("L30", "liquid", 30)
    add_equipment("L5000", "liquid", 5000)
    add_equipment("S75", "solid", 75)
    page = client.get("/catalogue?kind=liquid&min_l=1000").get_data(as_text=True)
    assert "L5000" in page and "L30" not in page and "S75" not in page
    assert "1500–3500 L" in page
    assert "设备目录" in page
