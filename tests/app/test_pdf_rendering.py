"""PDFs render Chinese as real text and fetch nothing but the app's own assets."""

import pytest

from app.documents.pdf import LockedFetcher, html_to_pdf
from tests.pdf_tools import text_of

STYLE = '<link rel="stylesheet" href="pdf-static:document.css">'


def test_chinese_text_and_page_numbers_come_out_as_text():
    pdf = html_to_pdf(
        f"<html><head>{STYLE}</head><body><h1>中试平台服务费发票</h1><p>柒拾伍万元零伍分</p></body></html>"
    )
    text = text_of(pdf)
    assert "中试平台服务费发票" in text and "柒拾伍万元零伍分" in text and "第 1 页 / 共 1 页" in text


@pytest.mark.parametrize(
    "reference",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="file:///etc/hostname">',
        '<img src="pdf-static:../../config.py">',
        '<img src="ftp://127.0.0.1/x">',
    ],
)
def test_references_outside_the_apps_assets_fetch_nothing(reference):
    fetcher = LockedFetcher()
    pdf = html_to_pdf(f"<html><body><p>客户名称</p>{reference}</body></html>", fetcher)
    assert len(fetcher.refused) == 1
    assert "root:" not in text_of(pdf)


def test_a_local_http_address_in_a_customer_field_is_never_requested(local_server):
    url, hits = local_server
    fetcher = LockedFetcher()
    html_to_pdf(
        f'<html><body><img src="{url}/logo.png"><link rel="stylesheet" href="{url}/x.css">'
        f'<p style="background: url({url}/bg.png)">地址</p></body></html>',
        fetcher,
    )
    assert hits == []
    assert len(fetcher.refused) == 3


def test_data_urls_are_allowed():
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
    fetcher = LockedFetcher()
    html_to_pdf(f'<html><body><img src="{pixel}"></body></html>', fetcher)
    assert fetcher.refused == []
