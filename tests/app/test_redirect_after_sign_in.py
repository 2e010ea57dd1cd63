"""After signing in, `next` leads only to a path on this site; anything else leads home."""

from urllib.parse import quote

import pytest

from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",
        "/\n/x",
        "/\r/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "///evil.example",
        "evil.example",
        "",
    ],
)
def test_a_hostile_next_leads_home(client, make_user, target):
    email = make_user("operator")
    response = client.post(f"/login?next={quote(target, safe='')}", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["/bookings", "/bookings?status=requested", "/finance/invoices/?year=2026#top", "/%09/evil.example"]
)
def test_a_path_on_this_site_is_followed(client, make_user, target):
    email = make_user("operator")
    response = client.post(f"/login?next={quote(target, safe='')}", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == target


def test_a_next_with_a_nul_is_refused_at_the_edge_and_leads_nowhere(client, make_user):
    target = quote("/\x00/evil.example", safe="")
    response = client.post(f"/login?next={target}", data={"email": make_user("operator"), "password": PASSWORD})
    assert response.status_code == 422 and "Location" not in response.headers
