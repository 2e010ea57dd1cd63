"""Pages speak Chinese first and English on request; every catalogue string is translated."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_the_home_page_is_in_chinese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert "中试工艺放大" in page and 'lang="zh-CN"' in page


def test_english_is_available_and_remembered(client):
    assert "Pilot process scale-up" in client.get("/?lang=en").get_data(as_text=True)
    assert "Equipment catalogue" in client.get("/catalogue").get_data(as_text=True)


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_an_unknown_page_answers_404_in_chinese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "页面或记录不存在" in response.get_data(as_text=True)


def test_the_chinese_catalogue_translates_every_string_in_the_source(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        source = {m.id for m in read_po(f) if m.id}
    with (ROOT / "translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string and not m.fuzzy}
    assert sorted(source - translated) == []
