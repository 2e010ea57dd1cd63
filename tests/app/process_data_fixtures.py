"""A running batch on a vessel, and trend exports of it, for the process-data tests."""

import io
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.app.booking_data import local, request_body

MAPPING = {
    "time_column": "时间",
    "tags": {"TIC101": {"name": "温度", "unit": "°C"}, "AIC102": {"name": "pH", "unit": ""}},
}


@dataclass
class Batch:
    id: int
    operator: dict
    customer: dict
    operator_email: str = ""
    customer_email: str = ""


def trend_csv(rows: int = 30, step_s: int = 10, spike_at: int | None = None, encoding: str = "utf-8") -> bytes:
    """A wide export starting today 00:00 plant time: temperature and pH every `step_s` seconds."""
    start = local(0, 0).replace(tzinfo=None)
    lines = ["时间,TIC101,AIC102"]
    for i in range(rows):
        moment = start + timedelta(seconds=i * step_s)
        temperature = 99.0 if i == spike_at else 36.0 + (i % 10) / 10
        lines.append(f"{moment:%Y-%m-%d %H:%M:%S},{temperature:.1f},{7 + (i % 5) / 100:.2f}")
    return ("\n".join(lines) + "\n").encode(encoding)


def imported(client, batch: Batch, data: bytes, mapping: dict | None = MAPPING) -> dict:
    """Upload through the API, follow the job (tests run jobs at their commit) and give its final state."""
    response = upload(client, batch, data, mapping)
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"] == response.get_json()["job"]["url"]
    return client.get(response.headers["Location"], headers=batch.operator).get_json()


def upload(
    client,
    batch: Batch,
    data: bytes,
    mapping: dict | None = MAPPING,
    headers: dict | None = None,
    filename: str = "trend.csv",
):
    form = {"file": (io.BytesIO(data), filename)}
    if mapping is not None:
        form["mapping"] = json.dumps(mapping, ensure_ascii=False)
    return client.post(
        f"/api/v1/bookings/{batch.id}/process-data",
        data=form,
        headers=headers or batch.operator,
        content_type="multipart/form-data",
    )


@pytest.fixture
def batch(client, add_equipment, make_company, make_user, token_for) -> Batch:
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)
    add_equipment("LF100-2", "liquid", 100, turnaround_h=5)
    _, email = make_company()
    customer = token_for(email)
    operator_email = make_user("operator")
    operator = token_for(operator_email)
    booking = client.post("/api/v1/bookings", json=request_body(), headers=customer).get_json()
    assert client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=operator).status_code == 200
    started = client.post(f"/api/v1/bookings/{booking['id']}/start", json={"here": True}, headers=operator)
    assert started.status_code == 200, started.get_json()  # started now, on its vessel, ahead of its plan
    return Batch(booking["id"], operator, customer, operator_email, email)


def complete(client, batch: Batch) -> None:
    """Complete the batch: the day before yesterday 08:00 to yesterday 20:00 plant time (36 h, in the past
    whenever the test runs), with steam, power and a material."""
    response = client.post(
        f"/api/v1/bookings/{batch.id}/complete",
        headers=batch.operator,
        json={
            "actual_start": local(-2, 8).isoformat(),
            "actual_end": local(-1, 20).isoformat(),
            "usage": {"steam_t": "1.5", "power_kwh": "320", "operator_h": "12"},
            "materials": [{"description": "葡萄糖", "quantity": "25", "unit": "kg", "unit_cost": "6.50"}],
        },
    )
    assert response.status_code == 200, response.get_json()
