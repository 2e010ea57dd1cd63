"""Reading the pages as a person does: flash messages, status labels, totals, details, linked PDFs, dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page

from tests.app.booking_data import local

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_minutes(days: int, hour: int) -> str:
    """A datetime-local input's value: plant time `days` from today at `hour`:00."""
    return local(days, hour).strftime("%Y-%m-%dT%H:%M")


def today() -> date:
    return datetime.now(SHANGHAI).date()


def this_year() -> int:
    return today().year


def flash(page: Page) -> Locator:
    return page.locator(".flash.success")


def status(page: Page) -> Locator:
    return page.locator("h1 .status")


def footer_amount(page: Page, label: str) -> Locator:
    return page.locator("tfoot tr").filter(has_text=label).locator("th").nth(1)


def detail(page: Page, term: str) -> Locator:
    """The value of `term` in the page's list of details."""
    return page.locator("dl.details dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def linked_pdf(page: Page, link: Locator) -> bytes:
    """The PDF behind a link that opens in the browser's own viewer, fetched with the page's session."""
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return response.body()
