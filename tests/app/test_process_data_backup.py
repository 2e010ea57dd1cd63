"""Process data lives in the database, so `flask backup` and `restore` carry it: a restored backup answers the
same series."""

import io
import json

from sqlalchemy import delete

from app import create_app
from app.models import ProcessChunk
from app.platform.db import db_session
from bench.process_data import running_batch
from tests.app.process_data_fixtures import MAPPING, trend_csv
from tests.app.test_cli import run


def series(app, booking_id: int, headers: dict) -> list:
    return app.test_client().get(f"/api/v1/bookings/{booking_id}/process-data", headers=headers).get_json()["series"]


def test_a_restored_backup_gives_back_the_process_data(cli_database, tmp_path):
    assert run(cli_database, "db", "upgrade").returncode == 0
    app = create_app(
        {"DATABASE_URL": cli_database, "SECRET_KEY": "backup", "TESTING": True, "JOB_QUEUE_URL": "immediate"}
    )
    booking_id, operator = running_batch(app)
    app.test_client().post(
        f"/api/v1/bookings/{booking_id}/process-data",
        headers=operator,
        data={"file": (io.BytesIO(trend_csv(rows=500)), "trend.csv"), "mapping": json.dumps(MAPPING)},
        content_type="multipart/form-data",
    )
    before = series(app, booking_id, operator)
    assert [len(s["points"]) for s in before] == [500, 500]
    out = tmp_path / "pilot.backup"
    assert run(cli_database, "backup", "--out", str(out)).returncode == 0
    with app.app_context():
        db_session().execute(delete(ProcessChunk))
        db_session().commit()
    assert [len(s["points"]) for s in series(app, booking_id, operator)] == [0, 0]
    app.extensions["engine"].dispose()
    restored = run(cli_database, "restore", str(out), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert series(app, booking_id, operator) == before
    app.extensions["engine"].dispose()
