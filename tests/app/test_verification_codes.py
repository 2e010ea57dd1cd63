"""Claim verification codes a bureau clerk can read aloud and type: Crockford base32 in groups, any case,
no look-alikes, 150 random bits; codes of the earlier form keep working; the page has a form to type one."""

import math
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import SubsidyClaim
from app.platform.verification_codes import ALPHABET, LENGTH, canonical, grouped, new_code
from tests.app import test_subsidy_claims
from tests.app.test_subsidy_claims import claim
from tests.pdf_tools import text_of

customer, finance = test_subsidy_claims.customer, test_subsidy_claims.finance  # their fixtures


def test_a_new_code_carries_at_least_128_random_bits_without_look_alikes():
    code = new_code()
    assert len(code) * math.log2(len(ALPHABET)) >= 128 and len(code) == LENGTH
    assert not set(code) & set("ILOU") and set(code) <= set(ALPHABET)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("7k3qd-m9xtb", "7K3QDM9XTB"),
        (" 7K3QD M9XTB ", "7K3QDM9XTB"),
        ("O0o", "000"),
        ("Il1i", "1111"),
    ],
)
def test_typing_forgives_case_spaces_hyphens_and_look_alikes(typed, stored):
    assert canonical(typed) == stored


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_a_printed_code_typed_back_in_lower_case_is_the_stored_code(code):
    assert canonical(grouped(code).lower()) == code
    assert re.fullmatch(r"(\w{5}-){5}\w{5}", grouped(code))


def test_a_code_of_the_earlier_form_is_printed_as_it_is():
    assert grouped("dmjHkEMqshO1LHusUbP0fw") == "dmjHkEMqshO1LHusUbP0fw"


@pytest.fixture
def submitted(client, books, customer, finance, db):
    books.invoice(customer[0], date(2026, 3, 1), "1234.56")
    number = claim(client, finance)["number"]
    assert client.post(f"/api/v1/subsidy/claims/{number}/submit", headers=finance).status_code == 200
    return db.scalar(select(SubsidyClaim).where(SubsidyClaim.number == number))


def test_the_bureau_types_the_printed_code_in_lower_case_with_o_for_zero_and_finds_the_claim(client, submitted):
    form = client.get("/verify").get_data(as_text=True)
    assert '<form method="get" action="/verify"' in form and 'name="code"' in form
    typed = grouped(submitted.verification_code).lower().replace("0", "o")
    page = client.get("/verify", query_string={"code": typed}, follow_redirects=True).get_data(as_text=True)
    assert submitted.number in page and grouped(submitted.verification_code) in page


def test_a_code_of_the_earlier_form_keeps_working(client, submitted, db):
    submitted.verification_code = "dmjHkEMqshO1LHusUbP0fw"
    db.commit()
    assert submitted.number in client.get("/verify/dmjHkEMqshO1LHusUbP0fw").get_data(as_text=True)


def test_a_wrong_code_answers_404_on_the_form_with_the_code_kept_for_correcting(client, submitted):
    response = client.get("/verify/7K3QD-M9XTB")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "验证码无效" in page and 'value="7K3QD-M9XTB"' in page


def test_the_claim_pdf_prints_the_code_grouped_and_the_whole_address_on_one_line(app, client, submitted, finance):
    text = text_of(client.get(f"/api/v1/subsidy/claims/{submitted.number}/pdf", headers=finance).data)
    code = submitted.verification_code
    assert f"验证码：{grouped(code)}" in text
    assert f"核验网址：{app.config['PUBLIC_BASE_URL']}/verify/{code}\n" in text
