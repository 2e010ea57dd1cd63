"""Every page the demo plant's people reach speaks the page's language, including the words that come from
models, services and the core (statuses, stages, audit entries, the board, the optimiser): in English no
Chinese is left but the data people stored; in Chinese no raw code (snake_case, dotted event codes, status
values) is shown."""

import re

import pytest

from app.models import BookingStatus, InvoiceKind, InvoiceStatus, Stage
from app.ops.demo import DEMO_PASSWORD, load_demo
from app.platform.context import context_for
from app.platform.db import db_session
from tests.app.page_crawl import crawl, stored_strings, visible_text, without
from tests.conftest import fresh_database, migrated_app

PEOPLE = [
    "customer1@pilot.example",
    "operator@pilot.example",
    "finance@pilot.example",
    "admin@pilot.example",
    "bureau@pilot.example",
]
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
CODES = {s.value for enum in (BookingStatus, InvoiceKind, InvoiceStatus, Stage) for s in enum} | {
    "optimal",
    "feasible",
    "infeasible",
    "UTC",
}
RAW = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z_]+\.[a-z_]+\b|\+00:00|\b(?:" + "|".join(sorted(CODES)) + r")\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo plant (with its history of bookings, invoices and a claim) in a database of its own."""
    with fresh_database(tmp_path_factory.mktemp("demo")) as url:
        app = migrated_app(url, tmp_path_factory.mktemp("outbox"))
        with app.app_context():
            load_demo(db_session(), context_for(app))
            db_session().commit()
        yield app, stored_strings(app) + [app.config["PLATFORM_NAME"]]
        app.extensions["engine"].dispose()


def pages_of(app, email: str, lang: str) -> dict[str, str]:
    client = app.test_client()
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    client.get(f"/?lang={lang}")
    pages = crawl(client)
    if "operator" in email:  # the optimiser's proposal is the answer to a form
        pages["/operations/optimize"] = client.post("/operations/optimize", data={"time_limit_s": "1"}).get_data(
            as_text=True
        )
    return pages


@pytest.mark.parametrize("email", PEOPLE)
def test_in_english_no_chinese_is_left_but_the_stored_data(demo, email):
    app, data = demo
    pages = pages_of(app, email, "en")
    left = {url: CHINESE.findall(without(visible_text(page), data + ["中文"])) for url, page in pages.items()}
    assert len(pages) > 3 and {url: words for url, words in left.items() if words} == {}


@pytest.mark.parametrize("email", PEOPLE)
def test_in_chinese_no_raw_code_reaches_a_page(demo, email):
    app, data = demo
    pages = pages_of(app, email, "zh_Hans_CN")
    words = [value for value in data if len(value) > 3]  # not units such as "L", which are inside words
    left = {url: RAW.findall(without(visible_text(page), words)) for url, page in pages.items()}
    assert len(pages) > 3 and {url: codes for url, codes in left.items() if codes} == {}
