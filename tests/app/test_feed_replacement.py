"""Replacing a calendar address: the old one stops working at once, every other feed keeps its address,
and only the company's admin (for a company) or a platform admin (for a vessel) may do it."""

import re

import pytest
from sqlalchemy import select

from app.models import AuditEntry, Company, Equipment
from tests.app.test_feeds import book, company_feed, events
from tests.concurrency import at_once
from tests.factories import PASSWORD

PRESSES = 8
VESSEL_FEED = r"equipment/LF100-1\.ics\?token=\w+"


@pytest.fixture
def plant(add_equipment):
    add_equipment("LF100-1", "liquid", 100, turnaround_h=5)


@pytest.fixture
def company(make_company, token_for):
    company_id, admin = make_company("甲公司")
    return company_id, admin, token_for(admin)


def shown_feed_path(page: str, feed: str = r'company/[^"]+\.ics') -> str:
    """The path of the feed link a page shows (by default the company's)."""
    return re.search(rf'href="https?://[^/"]+(/feeds/{feed})"', page).group(1)


def test_a_company_admin_replaces_the_address_and_only_the_new_one_opens_the_feed(
    client, db, sign_in, plant, company, make_company
):
    company_id, admin, token = company
    other_id, _ = make_company("乙公司")
    book(client, token)
    sign_in(admin)
    old = shown_feed_path(client.get("/company").get_data(as_text=True))
    response = client.post("/company/feed/replace")
    assert response.status_code == 302 and response.location.endswith("/company")
    page = client.get("/company").get_data(as_text=True)
    new = shown_feed_path(page)
    assert "旧地址不再可用" in page
    assert new != old
    assert client.get(old).status_code == 404
    assert len(events(client.get(new))) == 1
    assert company_feed(client, other_id).status_code == 200  # another company's address is unchanged
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "calendar_feed.replaced")).one()
    assert entry.entity_id == f"company:{company_id}"


def test_a_colleague_who_is_not_the_company_admin_may_not_replace_it(client, db, sign_in, company, make_user):
    company_id, _, _ = company
    colleague = make_user("customer", company_id)
    sign_in(colleague)
    assert "/company/feed/replace" not in client.get("/company").get_data(as_text=True)
    assert client.post("/company/feed/replace").status_code == 403
    assert db.get(Company, company_id).feed_generation == 0
    assert company_feed(client, company_id).status_code == 200


def test_staff_without_a_company_have_no_company_address_to_replace(client, db, sign_in, make_user):
    sign_in(make_user("admin"))
    assert client.post("/company/feed/replace").status_code == 403
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "calendar_feed.replaced")).all() == []


def test_a_platform_admin_replaces_a_vessel_address_and_the_old_token_stops_working(
    app, client, db, sign_in, plant, company, make_user
):
    book(client, company[2])
    sign_in(make_user("admin"))
    page = client.get("/feeds/equipment").get_data(as_text=True)
    old = shown_feed_path(page, VESSEL_FEED)
    assert client.post("/feeds/equipment/LF100-1/replace").status_code == 302
    page = client.get("/feeds/equipment").get_data(as_text=True)
    new = shown_feed_path(page, VESSEL_FEED)
    assert new != old
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 404
    assert len(events(anonymous.get(new))) == 1
    assert db.scalars(select(Equipment.feed_generation).where(Equipment.code == "LF100-1")).one() == 1


def test_operators_read_vessel_feeds_but_may_not_replace_their_addresses(client, db, sign_in, plant, make_user):
    sign_in(make_user("operator"))
    assert "/replace" not in client.get("/feeds/equipment").get_data(as_text=True)
    assert client.post("/feeds/equipment/LF100-1/replace").status_code == 403
    assert client.post("/feeds/equipment/NOPE/replace").status_code == 403
    assert db.scalars(select(Equipment.feed_generation).where(Equipment.code == "LF100-1")).one() == 0


def test_an_admin_replacing_an_unknown_vessels_address_gets_404(client, sign_in, make_user):
    sign_in(make_user("admin"))
    assert client.post("/feeds/equipment/NOPE/replace").status_code == 404


def test_presses_at_the_same_moment_each_replace_the_address_once(app, db, company):
    """Every press counts (no lost update), so no press can leave an address it showed valid by mistake."""
    company_id, admin, _ = company
    clients = [app.test_client() for _ in range(PRESSES)]
    for own in clients:
        own.post("/login", data={"email": admin, "password": PASSWORD})
    statuses = at_once(PRESSES, lambda i: clients[i].post("/company/feed/replace").status_code)
    db.rollback()
    assert statuses == [302] * PRESSES
    assert db.get(Company, company_id).feed_generation == PRESSES
    assert len(db.scalars(select(AuditEntry).where(AuditEntry.action == "calendar_feed.replaced")).all()) == PRESSES
