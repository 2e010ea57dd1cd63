"""A customer and an operator as API callers (their bearer-token headers), for modules that import them."""

import pytest


@pytest.fixture
def customer(make_company, token_for):
    """The first user of a new company."""
    _, email = make_company()
    return token_for(email)


@pytest.fixture
def operator(make_user, token_for):
    return token_for(make_user("operator"))
