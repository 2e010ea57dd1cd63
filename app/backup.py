"""Backups of the configured database: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL.

Beside every backup FILE lies FILE.json, its manifest: the engine, the alembic revision, the time and the
ledger digest, all read from the backup's own snapshot, so that a restore can be checked against it.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from .config import INSTANCE_DIR
from .services.ledger_digest import ledger_sha256

MANIFEST_FORMAT = "pilot-backup-v1"
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class State:
    """What a backup promises and a restore is checked on."""
    revision: str | None
    ledger_sha256: str


@dataclass(frozen=True)
class Manifest:
    format: str
    engine: str
    created_at: str
    revision: str | None
    ledger_sha256: str


def default_path(engine: Engine, now: datetime) -> Path:
    """instance/backups/pilot-20260302T080000Z.sqlite3 (or .pgdump)."""
    return INSTANCE_DIR / "backups" / f"pilot-{now:%Y%m%dT%H%M%SZ}{SUFFIX[engine.dialect.name]}"


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def back_up(engine: Engine, out: Path, now: datetime) -> Manifest:
    """Write a consistent copy of the database to `out` and its manifest beside it."""
    if out.exists():
        raise BackupError(f"{out} already exists")
    out.parent.mkdir(parents=True, exist_ok=True)
    state = _back_up_sqlite(engine, out) if engine.dialect.name == "sqlite" else _back_up_postgresql(engine, out)
    manifest = Manifest(MANIFEST_FORMAT, engine.dialect.name, now.isoformat(), state.revision, state.ledger_sha256)
    manifest_path(out).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def read_manifest(path: Path) -> Manifest | None:
    """The manifest beside the backup at `path`, if there is one."""
    beside = manifest_path(path)
    return Manifest(**json.loads(beside.read_text())) if beside.exists() else None


def restore(engine: Engine, path: Path) -> State:
    """Replace the database's contents with the backup at `path`; give the state of the result."""
    kind = backup_engine(path)
    if kind != engine.dialect.name:
        raise BackupError(f"{path} is a {kind} backup, but the configured database is {engine.dialect.name}")
    if kind == "sqlite":
        _restore_sqlite(engine, path)
    else:
        _restore_postgresql(engine, path)
    engine.dispose()  # pooled connections may hold statements prepared against the replaced tables
    with engine.connect() as connection:
        return state_of(connection)


def backup_engine(path: Path) -> str:
    """The engine that wrote the backup at `path`, told by the file's first bytes."""
    with path.open("rb") as file:
        head = file.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive")


def state_of(connection: Connection) -> State:
    """The alembic revision and ledger digest as `connection` sees the database."""
    revision = MigrationContext.configure(connection).get_current_revision()
    with Session(bind=connection) as session:
        return State(revision, ledger_sha256(session))


def _sqlite_file(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return path


def _back_up_sqlite(engine: Engine, out: Path) -> State:
    """The online backup API: a consistent copy while the app runs (WAL included), as one self-contained file."""
    with closing(sqlite3.connect(_sqlite_file(engine), timeout=30)) as source, \
            closing(sqlite3.connect(out)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    copy = create_engine(f"sqlite:///{out}")
    try:
        with copy.connect() as connection:
            return state_of(connection)
    finally:
        copy.dispose()


def _restore_sqlite(engine: Engine, path: Path) -> None:
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(_sqlite_file(engine), timeout=30)) as target:
        source.backup(target)


def _back_up_postgresql(engine: Engine, out: Path) -> State:
    """pg_dump of the snapshot the manifest's state is read from (an exported REPEATABLE READ snapshot)."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        state = state_of(connection)
        pg_dump = _pg_tool("pg_dump", connection)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={out}"], engine.url)
    return state


def _restore_postgresql(engine: Engine, path: Path) -> None:
    """pg_restore in one transaction: the dump's objects are dropped and made again, or nothing changes."""
    with engine.connect() as connection:
        pg_restore = _pg_tool("pg_restore", connection)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={engine.url.database}", str(path)], engine.url)


def _pg_tool(name: str, connection: Connection) -> str:
    """The path of pg_dump or pg_restore, refused when missing or older than the server."""
    server = int(connection.scalar(text("SHOW server_version_num"))) // 10000
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install postgresql-client (version {server} or newer)")
    found = re.search(r"\) (\d+)", subprocess.run([path, "--version"], capture_output=True, text=True).stdout)
    client = int(found.group(1)) if found else 0
    if client < server:
        raise BackupError(f"{name} {client} is older than the PostgreSQL {server} server: install "
                          f"postgresql-client-{server}")
    return path


def libpq_env(url: URL) -> dict[str, str]:
    """The connection of `url` as libpq variables: the password stays out of the command line (and `ps`)."""
    values = {"PGHOST": url.host or url.query.get("host"), "PGPORT": url.port, "PGUSER": url.username,
              "PGPASSWORD": url.password, "PGDATABASE": url.database, "PGSSLMODE": url.query.get("sslmode")}
    return {name: str(value) for name, value in values.items() if value is not None}


def _run(argv: list[str], url: URL) -> None:
    result = subprocess.run(argv, env={**os.environ, **libpq_env(url)}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip()}")
