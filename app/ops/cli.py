"""Command line: db upgrade/downgrade, demo load, user create, subsidy claim, settings check, backup, restore and
worker."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.platform.context import current_context
from app.platform.db import db_session
from app.platform.errors import DomainError

db_cli = AppGroup("db", help="Database migrations (a thin wrapper over Alembic).")
demo_cli = AppGroup("demo", help="The demo plant.")
user_cli = AppGroup("user", help="User accounts.")
subsidy_cli = AppGroup("subsidy", help="The annual subsidy claim to the Science & Technology Bureau.")
settings_cli = AppGroup("settings", help="The deployment's settings.")


def alembic_config():
    from alembic.config import Config

    from app.platform.config import PROJECT_ROOT

    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["engine"] = current_app.extensions["engine"]
    return config


@db_cli.command("upgrade", help="Migrate the configured database (DATABASE_URL) to REVISION (default head).")
@click.argument("revision", default="head")
def db_upgrade(revision: str):
    from alembic import command

    command.upgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade", help="Migrate the configured database down to REVISION (e.g. base).")
@click.argument("revision")
def db_downgrade(revision: str):
    from alembic import command

    command.downgrade(alembic_config(), revision)
    click.echo(f"database at {revision}")


@demo_cli.command("load", help="Load the demo plant, companies and users; running it again changes nothing.")
def demo_load():
    from app.ops.demo import load_demo

    session, ctx = db_session(), current_context()
    logins = load_demo(session, ctx)
    session.commit()
    click.echo("demo plant loaded; logins:")
    for email, password, role in logins:
        click.echo(f"  {role:9} {email:32} {password}")


@user_cli.command("create", help="Create a user with ROLE (customer, operator, finance, admin, bureau).")
@click.argument("email")
@click.option("--role", required=True, help="customer, operator, finance, admin or bureau")
@click.option("--password", required=True, help="at least 8 characters with a letter and a digit")
@click.option("--company-id", type=int, default=None, help="the company of a customer user")
def user_create(email: str, role: str, password: str, company_id: int | None):
    from app.services.access.accounts import create_user
    from app.services.access.passwords import new_password

    session = db_session()
    try:
        user = create_user(
            session, None, email, role, new_password(password), company_id, verified_at=current_context().now()
        )
    except DomainError as error:
        session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    session.commit()
    click.echo(f"user {user.email} ({user.role.value}) created, id {user.id}")


@subsidy_cli.command("claim", help="Create the claim of YEAR from the current ledger and write its PDF to --out.")
@click.argument("year", type=int)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="where to write the claim's PDF"
)
def subsidy_claim(year: int, out: str):
    from app.documents.claim_pdf import claim_pdf
    from app.services.subsidies.subsidy_claims import create_claim

    session = db_session()
    try:
        claim = create_claim(session, None, year, current_context())
    except DomainError as error:
        session.rollback()
        raise click.ClickException(error.message) from None
    session.commit()
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        Path(out).write_bytes(claim_pdf(claim, False))
    click.echo(
        f"claim {claim.number}: eligible revenue {claim.eligible_revenue}, subsidy {claim.amount} CNY; "
        f"PDF written to {out}"
    )


@click.command(
    "backup",
    help="Back up the configured database (SQLite: online backup API; PostgreSQL: pg_dump "
    "--format=custom) to --out, with a manifest FILE.json beside it (alembic revision, time, ledger "
    "SHA-256). Safe while the app runs.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="the backup file (default instance/backups/pilot-<UTC time>.sqlite3 or .pgdump)",
)
def backup_command(out: Path | None):
    from app.ops import backup

    engine = current_app.extensions["engine"]
    now = current_context().now()
    out = out or backup.default_path(engine, now)
    try:
        manifest = backup.back_up(engine, out, now)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {out} ({out.stat().st_size:,} bytes); manifest {backup.manifest_path(out)}")
    click.echo(f"alembic revision {manifest.revision}, ledger sha256 {manifest.ledger_sha256}")


@click.command(
    "restore",
    help="Replace the configured database with the backup at PATH (made by `backup` on the "
    "same engine). The file is checked against its manifest (SHA-256 of the file), restored into a new "
    "database, checked again (alembic revision, ledger and table digests), and only then put in place; "
    "otherwise nothing changes. Stop the app servers first.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="replace without asking")
def restore_command(path: Path, yes: bool):
    from alembic.script import ScriptDirectory

    from app.ops import backup

    engine = current_app.extensions["engine"]
    if not yes:
        click.confirm(
            f"Replace everything in {engine.url.render_as_string(hide_password=True)} with {path}?", abort=True
        )
    try:
        state = backup.restore(engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {path}: alembic revision {state.revision}, ledger sha256 {state.ledger_sha256}")
    click.echo("file, revision, ledger and tables match the manifest")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if state.revision != head:
        click.echo(f"the code is at revision {head}: run `flask --app wsgi db upgrade`")


@settings_cli.command("check", help="Warn about platform details (printed on PDFs) that are not set yet.")
def settings_check():
    from app.platform.config import unset_platform_details

    unset = unset_platform_details(current_app.config)
    if unset:
        click.echo(
            f"WARNING: platform details not set, invoices and claims print placeholders: {', '.join(unset)} "
            "(set them as environment variables)",
            err=True,
        )
    else:
        click.echo("platform details are set")


@click.command(
    "worker",
    help="Run one background-job worker for the configured queue (JOB_QUEUE_URL) until "
    "stopped: Ctrl-C lets running jobs finish, SIGTERM stops at once (their jobs are then failed, or "
    "queued again when safe, by the next worker's watch).",
)
@click.option(
    "--threads", type=click.IntRange(1, 32), default=1, show_default=True, help="jobs this worker runs at once"
)
def worker_command(threads: int):
    from app.jobs.worker import run_worker

    click.echo(f"worker on {current_app.config['JOB_QUEUE_URL'].split('@')[-1]} with {threads} thread(s)")
    run_worker(current_app._get_current_object(), threads)


def register(app: Flask) -> None:
    for command in (
        db_cli,
        demo_cli,
        user_cli,
        subsidy_cli,
        settings_cli,
        backup_command,
        restore_command,
        worker_command,
    ):
        app.cli.add_command(command)
