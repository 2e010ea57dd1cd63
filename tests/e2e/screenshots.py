"""Screenshots of the main pages with the demo plant, for the README: `python -m tests.e2e.screenshots [DIR]`.

Loads the demo into a throwaway SQLite database with the real commands (`flask db upgrade`, `flask demo load`),
serves it on a loopback port and walks the pages in Chromium as the demo users do (1280×800 PNGs; the board
also a month wide at 1600 px, a customer's pages on a 390×844 phone, and the repair view after a breakdown)."""

import os
import re
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select

from app import create_app
from app.models import Booking, BookingStatus, Stage, SubsidyClaim
from app.ops.demo import DEMO_PASSWORD
from app.platform.config import PROJECT_ROOT
from app.platform.context import current_context
from app.platform.db import db_session
from app.services.plan import inventory
from tests.e2e.browser import PHONE, VIEWPORT, launch, open_page, served, sign_in
from tests.e2e.pages import status

OUT = PROJECT_ROOT / "docs" / "screenshots"
SECRET_KEY = "screenshots"  # of this throwaway run only


def load_demo(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_load_state()
    page.screenshot(path=out / f"{name}.png")
    print(f"{out / name}.png")


def customer_pages(page: Page, out: Path) -> None:
    page.goto("/catalogue?kind=liquid")
    shoot(page, out, "catalogue")
    page.goto("/bookings/new")
    page.get_by_label("工作体积（L）").fill("350")
    page.get_by_label("发酵时长（h）").fill("72")
    page.get_by_label("菌种", exact=True).fill("酿酒酵母")
    page.get_by_role("button", name="查找可用时段").click()
    page.get_by_role("heading", name="可用时段").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    shoot(page, out, "availability")
    page.get_by_role("button", name="预约此时段").first.click()
    status(page).wait_for()
    shoot(page, out, "booking")


def break_down_a_vessel(app: Flask) -> None:
    """A seal fails on the vessel of the demo's first confirmed batch, for two days over its start: a breakdown
    that conflicts it, so that the board draws it red and the repair view has work."""
    with app.app_context():
        session = db_session()
        booking = session.scalars(
            select(Booking).where(Booking.status == BookingStatus.CONFIRMED).order_by(Booking.id)
        ).first()
        main = next(a for a in booking.allocations if a.active and a.stage == Stage.MAIN)
        inventory.add_maintenance(
            session,
            None,
            main.equipment,
            main.start - timedelta(hours=12),
            main.start + timedelta(days=2),
            "机械密封泄漏",
            current_context().rules,
            current_context().now(),
        )
        session.commit()


def operator_pages(page: Page, out: Path) -> None:
    page.goto("/operations/repair")
    shoot(page, out, "repair")
    page.goto("/")
    page.get_by_role("link", name="排程看板").click()
    shoot(page, out, "board")
    page.set_viewport_size(WIDE)
    page.get_by_role("link", name="31").click()
    shoot(page, out, "board-month")


def phone_pages(page: Page, out: Path) -> None:
    page.get_by_text("菜单").click()
    shoot(page, out, "phone-menu")
    page.locator("nav.menu").get_by_role("link", name="预约记录").click()
    page.locator("main table a").first.click()
    shoot(page, out, "phone-booking")


def finance_pages(page: Page, out: Path) -> None:
    page.get_by_role("navigation").get_by_role("link", name="发票").click()
    page.get_by_role("row").filter(has_text="已付清").get_by_role("link", name=re.compile(r"^PP-")).first.click()
    shoot(page, out, "invoice")
    page.get_by_role("link", name="补贴申报").click()
    shoot(page, out, "subsidy")
    page.get_by_role("button", name="按当前数据生成申报").click()
    page.get_by_role("button", name="提交市科技局").click()
    shoot(page, out, "claim")


ROUNDS = [
    ("customer1@pilot.example", customer_pages, VIEWPORT),
    ("operator@pilot.example", operator_pages, VIEWPORT),
    ("finance@pilot.example", finance_pages, VIEWPORT),
    ("customer2@pilot.example", phone_pages, PHONE),
]
WIDE = {"width": 1600, "height": 900}


def verification_code(app: Flask) -> str:
    with app.app_context():
        return db_session().scalar(select(SubsidyClaim.verification_code))


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/demo.db"
        load_demo(database_url)
        app = create_app(
            {"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "OUTBOX_DIR": tmp, "JOB_QUEUE_URL": "immediate"}
        )  # no worker here: jobs run at their commit
        break_down_a_vessel(app)
        with served(app) as base_url, sync_playwright() as playwright:
            browser = launch(playwright)
            problems: list[str] = []
            for email, pages, viewport in ROUNDS:
                page = open_page(browser, base_url, problems, viewport)
                sign_in(page, email, DEMO_PASSWORD)
                pages(page, out)
            page = open_page(browser, base_url, problems)
            page.goto(f"/verify/{verification_code(app)}")
            shoot(page, out, "verify")
            browser.close()
        app.extensions["engine"].dispose()
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
