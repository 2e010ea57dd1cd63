"""Test fixtures: a throwaway database (SQLite file, or PostgreSQL when TEST_DATABASE=postgresql),
migrated with Alembic once per run and emptied after every test."""

import os

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.models import Base
from app.platform.db import write_intent
from bench.databases import throwaway_database

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _using_postgres() -> bool:
    return os.environ.get("TEST_DATABASE", "sqlite") == "postgresql"


def fresh_database(directory):
    """A new, empty database (an SQLite file in `directory`, or on PostgreSQL), dropped afterwards."""
    return throwaway_database("postgresql" if _using_postgres() else "sqlite", directory, "pp_test", PG_ADMIN_URL)


def migrated_app(database_url: str, outbox) -> Flask:
    """The app in test configuration (no CSRF tokens) on `database_url`, migrated to head."""
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test",
            "OUTBOX_DIR": str(outbox),
            "JOB_QUEUE_URL": "immediate",
        }
    )  # jobs run at their commit; tests/app/test_job_queue.py: real
    with app.app_context():
        from alembic import command

        from app.ops.cli import alembic_config

        command.upgrade(alembic_config(), "head")
    return app


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this test run (per xdist worker)."""
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = migrated_app(database_url, tmp_path_factory.mktemp("outbox"))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables and an empty plan cache (only for tests that use the app)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    app.extensions.get("plan_cache", {}).clear()  # ids restart after emptying, so cache keys could recur
    engine = app.extensions["engine"]
    with engine.begin() as conn:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:  # the guard triggers would refuse to delete issued invoices: lift them while emptying
            triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _ in triggers:
                conn.execute(text(f"DROP TRIGGER {name}"))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            for _, sql in triggers:
                conn.execute(text(sql))


@pytest.fixture
def db(app):
    """A session of its own for looking at the database (no app context, so requests get theirs).

    It reads without taking SQLite's write lock, and the test client ends its transaction before every
    request, so that what the test reads afterwards is what the request left."""
    token = write_intent.set(False)
    session = app.extensions["sessionmaker"]()
    yield session
    session.close()
    write_intent.reset(token)


class InspectingClient(FlaskClient):
    inspector = None

    def open(self, *args, **kwargs):
        if self.inspector is not None:
            self.inspector.rollback()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, request):
    app.test_client_class = InspectingClient
    client = app.test_client()
    if "db" in request.fixturenames:
        client.inspector = request.getfixturevalue("db")
    return client


pytest_plugins = ["tests.factories", "tests.app.subsidy_books", "tests.app.two_companies", "tests.pdf_tools"]
