"""PDF rendering with WeasyPrint: Chinese fonts from the system, and a fetcher that reaches nothing outside.

Documents may reference the app's own static files (`pdf-static:NAME`, e.g. the stylesheet) and `data:`
URLs (QR codes); anything else — `file://`, `http://`, even on 127.0.0.1 — is refused and fetches nothing.
"""

import mimetypes
from functools import cache
from pathlib import Path

from flask import render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (Path(__file__).resolve().parents[1] / "static" / "pdf").resolve()
STATIC_SCHEME = "pdf-static:"


class LockedFetcher(URLFetcher):
    """Serves the app's own PDF assets and data: URLs; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        if url.startswith(STATIC_SCHEME):
            return self._static(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"PDF resources are limited to the app's own files: {url[:80]}")

    def _static(self, url: str) -> URLFetcherResponse:
        path = (STATIC_DIR / url.removeprefix(STATIC_SCHEME).lstrip("/")).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            self.refused.append(url)
            raise ValueError(f"no such PDF asset: {url[:80]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


@cache
def font_configuration() -> FontConfiguration:
    """The system's fonts, loaded once per process (loading them costs more than laying out a page)."""
    return FontConfiguration()


def html_to_pdf(html: str, fetcher: LockedFetcher | None = None) -> bytes:
    """PDF bytes for an HTML document; its assets are named `pdf-static:NAME`."""
    return HTML(string=html, url_fetcher=fetcher or LockedFetcher()).write_pdf(font_config=font_configuration())


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template (under templates/pdf/) to PDF bytes."""
    return html_to_pdf(render_template(template, **context))
