"""The command line of API.md: db upgrade, demo load (idempotent), user create, each with --help."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.models import Approval, Company, Equipment, User

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def run(url: str, *args: str, answer: str = "") -> subprocess.CompletedProcess:
    """The command with DATABASE_URL=`url`; `answer` is what it reads from its standard input."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "cli-test"}
    return subprocess.run([*FLASK, *args], cwd=ROOT, env=env, input=answer, capture_output=True, text=True, timeout=120)


def count(url: str, model, *where) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as session:
        n = session.scalar(select(func.count()).select_from(model).where(*where))
    engine.dispose()
    return n


def test_upgrade_then_demo_load_twice_gives_the_same_plant(cli_database):
    assert run(cli_database, "db", "upgrade").returncode == 0
    first = run(cli_database, "demo", "load")
    assert first.returncode == 0, first.stderr
    assert "operator@pilot.example" in first.stdout and "demo-2026" in first.stdout
    sizes = (count(cli_database, Equipment), count(cli_database, Company), count(cli_database, User))
    assert run(cli_database, "demo", "load").returncode == 0
    assert (count(cli_database, Equipment), count(cli_database, Company), count(cli_database, User)) == sizes
    assert sizes == (30, 5, 9)  # 20 liquid + 6 solid + 4 downstream; 5 companies; 5 customers + 4 staff
    assert count(cli_database, Company, Company.approval == Approval.APPROVED) == 5
    assert count(cli_database, User, User.email_verified_at.is_not(None)) == 9


def test_user_create_makes_a_user_and_refuses_a_bad_role(cli_database):
    run(cli_database, "db", "upgrade")
    made = run(cli_database, "user", "create", "fin@example.com", "--role", "finance", "--password", "money-123")
    assert made.returncode == 0, made.stderr
    refused = run(cli_database, "user", "create", "x@example.com", "--role", "boss", "--password", "money-123")
    assert refused.returncode != 0 and "role" in refused.stderr
    assert count(cli_database, User) == count(cli_database, User, User.email_verified_at.is_not(None)) == 1


@pytest.mark.parametrize("command", [("db", "upgrade"), ("demo", "load"), ("user", "create")])
def test_every_command_has_help(command):
    result = run("sqlite://", *command, "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout
