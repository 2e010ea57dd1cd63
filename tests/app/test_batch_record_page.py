"""Operators keep, sign and correct the batch record on the batch page; its phases, samples and deviations show
on the charts; the customer reads it."""

from app.models import BatchEntry, BatchSignature
from tests.app.booking_data import local
from tests.app.process_data_fixtures import batch, complete, imported, trend_csv  # noqa: F401  (batch is a fixture)
from tests.factories import PASSWORD

FORM_TIME = "%Y-%m-%dT%H:%M"


def post_entry(client, batch, **fields):
    return client.post(f"/bookings/{batch.id}/batch/entries", data=fields, follow_redirects=True)


def test_an_operator_records_phases_assays_samples_and_deviations_that_show_on_the_charts(client, batch, sign_in):
    imported(client, batch, trend_csv(rows=600, step_s=60))
    sign_in(batch.operator_email)
    post_entry(
        client,
        batch,
        kind="phase",
        name="发酵",
        at=local(0, 1).strftime(FORM_TIME),
        until=local(0, 5).strftime(FORM_TIME),
    )
    post_entry(client, batch, kind="assay", name="OD600")
    post_entry(client, batch, kind="sample", at=local(0, 2).strftime(FORM_TIME), values="OD600=12,5")
    page = post_entry(
        client,
        batch,
        kind="deviation",
        name="溶氧偏低",
        at=local(0, 3).strftime(FORM_TIME),
        severity="minor",
        impact="无",
        action="提高转速",
    ).get_data(as_text=True)
    assert "<title>发酵</title>" in page  # the phase as a band
    assert "<title>溶氧偏低</title>" in page and "<circle" in page  # the deviation and the sample as marks
    assert "<td>12.5</td>" in page


def test_a_broken_rule_is_shown_and_nothing_recorded(client, batch, sign_in, db):
    sign_in(batch.operator_email)
    page = post_entry(client, batch, kind="phase", name="跳舞", at=local(0, 1).strftime(FORM_TIME))
    assert "阶段须为" in page.get_data(as_text=True)
    assert db.query(BatchEntry).count() == 0


def test_sign_off_review_and_an_addendum_through_the_page(client, batch, sign_in, make_user, db):
    sign_in(batch.operator_email)
    post_entry(client, batch, kind="material", name="葡萄糖", lot="G-1", quantity="25", unit="kg")
    complete(client, batch)
    url = f"/bookings/{batch.id}/batch"
    page = client.post(
        url + "/signatures", data={"meaning": "signoff", "password": "wrong-123"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "密码不正确" in page and db.query(BatchSignature).count() == 0
    client.post(url + "/signatures", data={"meaning": "signoff", "password": PASSWORD})
    material = db.query(BatchEntry).one()
    page = client.post(
        url + "/addenda",
        data={
            "kind": "material",
            "name": "葡萄糖",
            "lot": "G-2",
            "quantity": "25",
            "unit": "kg",
            "supersedes": str(material.id),
            "reason": "批号抄错",
            "password": PASSWORD,
        },
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert "批号抄错" in text and "G-2" in text and "G-1" in text  # the correction shows what it replaced
    sign_in(make_user("operator"))
    client.post(url + "/signatures", data={"meaning": "review", "password": PASSWORD})
    assert [s.meaning.value for s in db.query(BatchSignature).order_by(BatchSignature.id)] == [
        "signoff",
        "addendum",
        "review",
    ]


def test_the_customer_reads_the_record_but_has_no_forms(client, batch, sign_in):
    sign_in(batch.customer_email)
    page = client.get(f"/bookings/{batch.id}/batch").get_data(as_text=True)
    assert "batch/entries" not in page and "batch/signatures" not in page
    assert client.post(f"/bookings/{batch.id}/batch/entries", data={"kind": "assay", "name": "x"}).status_code == 403
