"""Engine and session handling: SQLite (WAL, foreign keys, BEGIN IMMEDIATE for writes) or PostgreSQL."""

from contextvars import ContextVar
from pathlib import Path

from flask import Flask, g, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: whether the transactions begun in this context may write (SQLite then takes the write lock at BEGIN)
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets the pragmas and explicit transaction control it needs."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # SQLAlchemy, not pysqlite, issues BEGIN
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")

    return engine


def init_db(app: Flask) -> None:
    """Attach an engine and a per-request session to the app."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.before_request
    def _declare_intent():
        g.write_intent_token = write_intent.set(request.method not in READ_METHODS)

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
        token = g.pop("write_intent_token", None)
        if token is not None:
            write_intent.reset(token)


def end_transaction() -> None:
    """End the request's transaction before slow work (it wrote nothing yet), so that SQLite's write lock is not
    held across it; loaded objects stay usable and the next query begins a new transaction."""
    db_session().commit()


def db_session() -> Session:
    """The session of the current app context, opened on first use."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    return g.db_session
