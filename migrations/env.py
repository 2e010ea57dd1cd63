"""Alembic environment: the engine comes from the app (flask db upgrade) or from DATABASE_URL."""

from alembic import context

from app.models import Base
from app.platform.types import ScaledDecimal, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _engine():
    engine = config.attributes.get("engine")
    if engine is None:
        import os

        from app.platform.config import default_config
        from app.platform.db import make_engine

        engine = make_engine(os.environ.get("DATABASE_URL") or default_config()["DATABASE_URL"])
    return engine


def render_item(type_, obj, autogen_context):
    """Migrations use plain column types, not the app's Python-side decorators."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    return False


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
