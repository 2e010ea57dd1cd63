"""Backups of the configured database: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL.

Beside every backup FILE lies FILE.json, its manifest: the engine, the alembic revision, the time, the
ledger digest and a digest of every table, read from the backup's own snapshot, and the SHA-256 of FILE
itself. A restore checks the file against the manifest, restores it into a new database, checks that
against the manifest, and only then puts it in place of the configured database (SQLite: an atomic rename;
PostgreSQL: both databases renamed in one transaction). Anything amiss leaves the configured database as it was.
"""

import hashlib
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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.platform.config import INSTANCE_DIR
from app.services.finance.ledger_digest import content_sha256, ledger_sha256

MANIFEST_FORMAT = "pilot-backup-v2"
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class State:
    """What a backup promises and a restore is checked on."""

    revision: str | None
    ledger_sha256: str
    content_sha256: str


@dataclass(frozen=True)
class Manifest:
    format: str
    engine: str
    created_at: str
    revision: str | None
    ledger_sha256: str
    content_sha256: str
    file_sha256: str

    def promised_state(self) -> State:
        return State(self.revision, self.ledger_sha256, self.content_sha256)


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
    manifest = Manifest(
        MANIFEST_FORMAT,
        engine.dialect.name,
        now.isoformat(),
        state.revision,
        state.ledger_sha256,
        state.content_sha256,
        file_sha256(out),
    )
    manifest_path(out).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(path: Path) -> Manifest:
    """The manifest beside the backup at `path`; BackupError when it is missing, unreadable or too old."""
    beside = manifest_path(path)
    try:
        manifest = Manifest(**json.loads(beside.read_text()))
    except FileNotFoundError:
        raise BackupError(
            f"no manifest {beside} beside the backup: it cannot be checked, nothing was restored"
        ) from None
    except (ValueError, TypeError) as error:
        raise BackupError(f"the manifest {beside} cannot be read ({error}); nothing was restored") from None
    if manifest.format != MANIFEST_FORMAT:
        raise BackupError(f"the manifest {beside} has format {manifest.format}, not {MANIFEST_FORMAT}")
    return manifest


def restore(engine: Engine, path: Path) -> State:
    """Replace the database with the backup at `path` once the file and a restored copy of it check out
    against the manifest; give the state of the result. On BackupError the database is untouched."""
    kind = backup_engine(path)
    if kind != engine.dialect.name:
        raise BackupError(f"{path} is a {kind} backup, but the configured database is {engine.dialect.name}")
    manifest = read_manifest(path)
    if file_sha256(path) != manifest.file_sha256:
        raise BackupError(
            f"{path} does not match the SHA-256 in its manifest: the file is truncated or was "
            "changed; nothing was restored"
        )
    if kind == "sqlite":
        return _restore_sqlite(engine, path, manifest)
    return _restore_postgresql(engine, path, manifest)


def backup_engine(path: Path) -> str:
    """The engine that wrote the backup at `path`, told by the file's first bytes."""
    with path.open("rb") as file:
        head = file.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive")


def state_of(connection: Connection) -> State:
    """The alembic revision, ledger digest and table digest as `connection` sees the database."""
    revision = MigrationContext.configure(connection).get_current_revision()
    with Session(bind=connection) as session:
        return State(revision, ledger_sha256(session), content_sha256(session))


def _state_of_copy(url: str | URL) -> State:
    copy = create_engine(url)
    try:
        with copy.connect() as connection:
            return state_of(connection)
    finally:
        copy.dispose()


def _check(copy: State, manifest: Manifest) -> None:
    if copy != manifest.promised_state():
        raise BackupError(
            f"the restored copy differs from the manifest (revision {copy.revision}, ledger sha256 "
            f"{copy.ledger_sha256}, tables sha256 {copy.content_sha256}); nothing was replaced"
        )


def _sqlite_file(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return path


def _back_up_sqlite(engine: Engine, out: Path) -> State:
    """The online backup API: a consistent copy while the app runs (WAL included), as one self-contained file."""
    _copy_sqlite(Path(_sqlite_file(engine)), out)
    return _state_of_copy(f"sqlite:///{out}")


def _copy_sqlite(source_path: Path, target_path: Path) -> None:
    with closing(sqlite3.connect(source_path, timeout=30)) as source, closing(sqlite3.connect(target_path)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")


def _restore_sqlite(engine: Engine, path: Path, manifest: Manifest) -> State:
    """Copy the backup to a new file beside the database, check it, then rename it over the database."""
    target = Path(_sqlite_file(engine))
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    try:
        _copy_sqlite(path, staging)
        state = _state_of_copy(f"sqlite:///{staging}")
        _check(state, manifest)
    except (sqlite3.DatabaseError, SQLAlchemyError, BackupError) as error:
        staging.unlink(missing_ok=True)
        raise error if isinstance(error, BackupError) else BackupError(f"{path} cannot be read: {error}") from None
    engine.dispose()
    if target.exists():  # fold the write-ahead log in, so that no stale log is left beside the new file
        with closing(sqlite3.connect(target, timeout=30)) as live:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(staging, target)
    for leftover in ("-wal", "-shm"):
        Path(f"{target}{leftover}").unlink(missing_ok=True)
    return state


def _back_up_postgresql(engine: Engine, out: Path) -> State:
    """pg_dump of the snapshot the manifest's state is read from (an exported REPEATABLE READ snapshot)."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        state = state_of(connection)
        pg_dump = _pg_tool("pg_dump", connection)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={out}"], engine.url)
    return state


def _restore_postgresql(engine: Engine, path: Path, manifest: Manifest) -> State:
    """pg_restore into a new database, check it, then swap the names of the two in one transaction."""
    with engine.connect() as connection:
        pg_restore = _pg_tool("pg_restore", connection)
    name = engine.url.database
    staging, replaced = f"{name}_restoring", f"{name}_replaced"
    server = create_engine(engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    quote = server.dialect.identifier_preparer.quote
    try:
        _recreate(server, quote(staging))
        try:
            _run(
                [pg_restore, "--no-owner", "--single-transaction", "--exit-on-error", f"--dbname={staging}", str(path)],
                engine.url.set(database=staging),
            )
            state = _state_of_copy(engine.url.set(database=staging))
            _check(state, manifest)
            engine.dispose()
            _swap(server, quote(name), quote(staging), quote(replaced))
        except BackupError:
            _drop(server, quote(staging))
            raise
        except SQLAlchemyError as error:
            _drop(server, quote(staging))
            raise BackupError(
                f"the restored database could not take the place of {name} (stop the app servers first): {error}"
            ) from error
        _drop(server, quote(replaced))
    finally:
        server.dispose()
    return state


def _recreate(server: Engine, database: str) -> None:
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
        connection.execute(text(f"CREATE DATABASE {database}"))


def _swap(server: Engine, live: str, staging: str, replaced: str) -> None:
    """Both renames or neither: ALTER DATABASE may run inside a transaction."""
    with server.connect().execution_options(isolation_level="READ COMMITTED") as connection, connection.begin():
        connection.execute(text(f"ALTER DATABASE {live} RENAME TO {replaced}"))
        connection.execute(text(f"ALTER DATABASE {staging} RENAME TO {live}"))


def _drop(server: Engine, database: str) -> None:
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))


def _pg_tool(name: str, connection: Connection) -> str:
    """The path of pg_dump or pg_restore, refused when missing or older than the server."""
    server = int(connection.scalar(text("SHOW server_version_num"))) // 10000
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install postgresql-client (version {server} or newer)")
    found = re.search(r"\) (\d+)", subprocess.run([path, "--version"], capture_output=True, text=True).stdout)
    client = int(found.group(1)) if found else 0
    if client < server:
        raise BackupError(
            f"{name} {client} is older than the PostgreSQL {server} server: install postgresql-client-{server}"
        )
    return path


def libpq_env(url: URL) -> dict[str, str]:
    """The connection of `url` as libpq variables: the password stays out of the command line (and `ps`)."""
    values = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    return {name: str(value) for name, value in values.items() if value is not None}


def _run(argv: list[str], url: URL) -> None:
    result = subprocess.run(argv, env={**os.environ, **libpq_env(url)}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip()}")
