"""Throwaway databases for benchmarks and tests: an SQLite file in a folder, or a new PostgreSQL
database that is dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def throwaway_database(kind: str, folder: Path, prefix: str = "bench", admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """A new empty database URL: `{prefix}.db` in `folder` for kind "sqlite" (it goes with the folder),
    else a PostgreSQL database `{prefix}_<random>` next to `admin_url`'s, dropped when done."""
    if kind == "sqlite":
        yield f"sqlite:///{Path(folder) / f'{prefix}.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
