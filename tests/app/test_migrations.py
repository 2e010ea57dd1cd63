"""Alembic and the models agree, and the migrations go down to nothing and back up."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.models import Base
from app.ops.cli import alembic_config


def test_the_migrated_schema_matches_the_models(app):
    with app.app_context(), app.extensions["engine"].connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_then_upgrade_to_head_works(app):
    with app.app_context():
        config = alembic_config()
        command.downgrade(config, "base")
        with app.extensions["engine"].connect() as conn:
            remaining = set(conn.dialect.get_table_names(conn)) - {"alembic_version"}
        assert remaining == set()
        command.upgrade(config, "head")
    with app.app_context(), app.extensions["engine"].connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
