"""Browser fixtures: the app served for real on the suite's database, and people using it in Chromium."""

import pytest
from playwright.sync_api import Page, sync_playwright

from app import create_app
from app.platform.db import db_session
from app.services.finance import price_lists
from tests.e2e.browser import VIEWPORT, launch, open_page, served, sign_in
from tests.factories import PASSWORD


@pytest.fixture(scope="session")
def served_app(app, database_url, tmp_path_factory):
    """The app as deployed (CSRF on, not in testing mode) on the suite's database, which `app` migrated."""
    served_app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "e2e",
            "OUTBOX_DIR": str(tmp_path_factory.mktemp("e2e-outbox")),
            "JOB_QUEUE_URL": "immediate",
        }
    )  # jobs run at their commit, in the served process
    yield served_app
    served_app.extensions["engine"].dispose()


@pytest.fixture(scope="session")
def base_url(served_app):
    with served(served_app) as url:
        served_app.config["PUBLIC_BASE_URL"] = url  # what the claim PDF prints for verification
        yield url


@pytest.fixture(scope="session")
def chromium(base_url):
    """Debian's Chromium; it closes (and drops its connections) before the server stops."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class People:
    """People using the served app, each in a browser of their own; `problems` is what their pages met."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.problems: list[str] = []
        self.pages: list[Page] = []

    def visitor(self, viewport: dict = VIEWPORT) -> Page:
        page = open_page(self.browser, self.base_url, self.problems, viewport)
        self.pages.append(page)
        return page

    def signed_in(self, email: str, password: str = PASSWORD, viewport: dict = VIEWPORT) -> Page:
        page = self.visitor(viewport)
        sign_in(page, email, password)
        return page

    def close(self) -> None:
        for page in self.pages:
            page.context.close()


@pytest.fixture
def people(chromium, base_url, served_app):
    people = People(chromium, base_url)
    yield people
    people.close()
    served_app.extensions.get("plan_cache", {}).clear()  # the tables are emptied after the test: ids recur


@pytest.fixture
def price_list(app):
    with app.app_context():
        session = db_session()
        price_lists.ensure_default_price_list(session)
        session.commit()
