"""The browser checks are not vacuous: the page's CSP refuses inline code, and the refusal is noted as a problem."""

import pytest

pytestmark = pytest.mark.slow

INLINE_SCRIPT = """() => { const script = document.createElement("script");
  script.textContent = "window.inlineRan = true"; document.body.append(script); }"""


def test_an_inline_script_is_refused_by_the_csp_and_noted_as_a_problem(people):
    page = people.visitor()
    page.goto("/")
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(INLINE_SCRIPT)
    assert page.evaluate("window.inlineRan") is None
    assert any("CSP violation: script-src" in problem for problem in people.problems)


def test_a_missing_page_is_noted_as_a_problem(people):
    page = people.visitor()
    with page.expect_console_message(lambda message: message.type == "error"):
        page.goto("/no-such-page")
    assert any("404" in problem for problem in people.problems)
