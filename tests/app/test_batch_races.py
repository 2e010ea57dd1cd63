"""Two people on the same batch at once take turns: one sign-off, one answer per round, one version per upload."""

from app.models import BatchSignature, ProcessDataSet
from tests.app.process_data_fixtures import batch, complete, trend_csv, upload  # noqa: F401  (batch is a fixture)
from tests.concurrency import at_once
from tests.factories import PASSWORD

RACERS = 5


def test_operators_signing_off_at_once_leave_one_signature(app, client, batch, db):
    complete(client, batch)
    url = f"/api/v1/bookings/{batch.id}/batch-record/signatures"
    codes = at_once(
        RACERS,
        lambda _: (
            app.test_client()
            .post(url, headers=batch.operator, json={"meaning": "signoff", "password": PASSWORD})
            .status_code
        ),
    )
    assert sorted(codes) == [201] + [409] * (RACERS - 1)
    assert db.query(BatchSignature).count() == 1


def test_colleagues_answering_at_once_give_one_answer(app, client, batch, db, make_user, token_for):
    complete(client, batch)
    client.post(
        f"/api/v1/bookings/{batch.id}/batch-record/signatures",
        headers=batch.operator,
        json={"meaning": "signoff", "password": PASSWORD},
    )
    company_id = client.get(f"/api/v1/bookings/{batch.id}", headers=batch.customer).get_json()["company_id"]
    colleagues = [batch.customer] + [token_for(make_user("customer", company_id)) for _ in range(RACERS - 1)]
    url = f"/api/v1/bookings/{batch.id}/acceptance"
    codes = at_once(
        RACERS,
        lambda i: (
            app.test_client()
            .post(url, headers=colleagues[i], json={"accept": i % 2 == 0, "comment": "并发异议"})
            .status_code
        ),
    )
    assert sorted(codes) == [200] + [409] * (RACERS - 1)


def test_uploads_at_once_become_consecutive_versions(app, client, batch, db):
    codes = at_once(3, lambda _: upload(app.test_client(), batch, trend_csv(rows=50)).status_code)
    assert codes == [202, 202, 202]
    assert sorted(v for (v,) in db.query(ProcessDataSet.version)) == [1, 2, 3]
