"""Operators keep the batch record while it runs; sign-off and QA review are electronic signatures; a signed
record cannot change (the database refuses it), corrections are signed addenda that show what they replaced."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app.models import AuditEntry, BatchEntry
from tests.app.booking_data import local
from tests.app.process_data_fixtures import batch, complete  # noqa: F401  (batch is a fixture)
from tests.factories import PASSWORD


def add(client, batch, **entry):
    return client.post(f"/api/v1/bookings/{batch.id}/batch-record/entries", headers=batch.operator, json=entry)


def sign(client, batch, meaning: str, headers=None, password: str = PASSWORD):
    return client.post(
        f"/api/v1/bookings/{batch.id}/batch-record/signatures",
        headers=headers or batch.operator,
        json={"meaning": meaning, "password": password},
    )


def record(client, batch) -> dict:
    return client.get(f"/api/v1/bookings/{batch.id}/batch-record", headers=batch.customer).get_json()


def keep_a_record(client, batch) -> dict:
    """Phases, a material, two assay columns, a sample and a deviation; returns the sample entry."""
    assert (
        add(
            client, batch, kind="phase", name="灭菌", at=local(-1, 8).isoformat(), until=local(-1, 10).isoformat()
        ).status_code
        == 201
    )
    assert (
        add(client, batch, kind="material", name="葡萄糖", lot="G-2026-031", quantity="25", unit="kg").status_code
        == 201
    )
    for name, unit in (("OD600", ""), ("残糖", "g/L")):
        assert add(client, batch, kind="assay", name=name, unit=unit).status_code == 201
    sample = add(client, batch, kind="sample", at=local(0, 8).isoformat(), values={"OD600": 12.5, "残糖": 3.2})
    assert (
        add(
            client,
            batch,
            kind="deviation",
            name="溶氧短时低于 20 %",
            at=local(0, 9).isoformat(),
            impact="无",
            action="提高转速",
            severity="minor",
        ).status_code
        == 201
    )
    return sample.get_json()


def test_an_operator_keeps_the_record_and_the_customer_reads_it(client, batch):
    keep_a_record(client, batch)
    body = record(client, batch)
    assert body["phases_allowed"][:2] == ["培养基制备", "灭菌"]
    kinds = [e["kind"] for e in body["entries"]]
    assert sorted(kinds) == ["assay", "assay", "deviation", "material", "phase", "sample"]
    sample = next(e for e in body["entries"] if e["kind"] == "sample")
    assert sample["values"] == {"OD600": 12.5, "残糖": 3.2}


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"kind": "phase", "name": "跳舞", "at": local(0, 8).isoformat()}, "name"),
        ({"kind": "phase", "name": "发酵"}, "at"),
        ({"kind": "phase", "name": "发酵", "at": local(0, 8).isoformat(), "until": local(0, 7).isoformat()}, "until"),
        ({"kind": "material", "name": "葡萄糖"}, "lot"),
        ({"kind": "sample", "at": local(0, 8).isoformat(), "values": {"滴度": 1.0}}, "values"),
        ({"kind": "sample", "at": local(0, 8).isoformat()}, "values"),
        ({"kind": "deviation", "name": "染菌", "at": local(0, 8).isoformat()}, "severity"),
    ],
)
def test_an_entry_that_breaks_a_rule_is_refused_naming_the_field(client, batch, entry, field):
    response = add(client, batch, **entry)
    assert response.status_code == 422 and field in response.get_json()["fields"]


def test_sign_off_needs_a_completed_batch_and_the_signer_s_password(client, batch):
    assert sign(client, batch, "signoff").status_code == 409  # still running
    complete(client, batch)
    wrong = sign(client, batch, "signoff", password="not-it-123")
    assert wrong.status_code == 422 and "password" in wrong.get_json()["fields"]
    signed = sign(client, batch, "signoff")
    assert signed.status_code == 201
    assert signed.get_json()["meaning"] == "signoff" and "确认" in signed.get_json()["statement"]


def test_qa_review_is_by_someone_else_after_sign_off(client, batch, make_user, token_for):
    complete(client, batch)
    assert sign(client, batch, "review").status_code == 409  # nothing signed yet
    sign(client, batch, "signoff")
    assert sign(client, batch, "review").status_code == 409  # the same person
    reviewer = token_for(make_user("operator"))
    assert sign(client, batch, "review", headers=reviewer).status_code == 201
    assert [s["meaning"] for s in record(client, batch)["signatures"]] == ["signoff", "review"]


def test_a_signed_record_takes_corrections_only_as_signed_addenda(client, batch, db):
    sample = keep_a_record(client, batch)
    complete(client, batch)
    sign(client, batch, "signoff")
    assert add(client, batch, kind="assay", name="滴度", unit="g/L").status_code == 409
    url = f"/api/v1/bookings/{batch.id}/batch-record/addenda"
    corrected = {"kind": "sample", "at": local(0, 8).isoformat(), "values": {"OD600": 13.5, "残糖": 3.2}}
    response = client.post(
        url,
        headers=batch.operator,
        json={"entry": corrected, "supersedes": sample["id"], "reason": "OD600 稀释倍数抄错", "password": PASSWORD},
    )
    assert response.status_code == 201, response.get_json()
    body = record(client, batch)
    assert [e["values"]["OD600"] for e in body["entries"] if e["kind"] == "sample"] == [13.5]
    assert [e["values"]["OD600"] for e in body["superseded"]] == [12.5]
    addendum = body["signatures"][-1]
    assert addendum["meaning"] == "addendum" and addendum["reason"] == "OD600 稀释倍数抄错"
    again = client.post(
        url,
        headers=batch.operator,
        json={"entry": corrected, "supersedes": sample["id"], "reason": "再改", "password": PASSWORD},
    )
    assert again.status_code == 422  # already corrected: correct the correction instead
    actions = {a for (a,) in db.query(AuditEntry.action)}
    assert {"batch_entry_added", "batch_record_signoff", "batch_addendum_signed"} <= actions


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE batch_entries SET name = 'changed'",
        "DELETE FROM batch_entries",
        "INSERT INTO batch_entries (booking_id, kind, name, detail, created_by_id, created_at) "
        "SELECT booking_id, 'assay', 'sneaked', '{}', created_by_id, created_at FROM batch_entries LIMIT 1",
        "UPDATE batch_signatures SET reason = 'changed'",
        "DELETE FROM batch_signatures",
    ],
)
def test_the_database_refuses_to_change_a_signed_record(client, batch, app, statement):
    keep_a_record(client, batch)
    complete(client, batch)
    sign(client, batch, "signoff")
    with pytest.raises(DatabaseError, match="frozen"), app.extensions["engine"].begin() as conn:
        conn.execute(text(statement))


def test_an_open_record_can_still_be_changed_in_the_database(client, batch, app, db):
    keep_a_record(client, batch)
    with app.extensions["engine"].begin() as conn:
        conn.execute(text("UPDATE batch_entries SET name = 'renamed' WHERE kind = 'material'"))
    assert db.query(BatchEntry).filter_by(name="renamed").count() == 1


def test_customers_cannot_write_the_record(client, batch):
    response = client.post(
        f"/api/v1/bookings/{batch.id}/batch-record/entries", headers=batch.customer, json={"kind": "assay", "name": "x"}
    )
    assert response.status_code == 403
