"""A crawl of the pages a signed-in person can reach by following links, one page per kind of URL, and what
those pages say once the data people typed or the demo stored is taken out."""

import html
import re
from urllib.parse import urljoin, urlsplit

from flask import Flask
from sqlalchemy import Enum, String, Text, select

from app.models import AuditEntry, Base

NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|ics|css|svg|png)$|/pdf$|^/logout|^/static/|^/feeds/")


def stored_strings(app: Flask) -> list[str]:
    """Every text value in the database that people typed or the demo stored (names, organisms, descriptions,
    reasons…), longest first; not codes (enum columns) nor the audit log, which the pages are to put in words."""
    found = set()
    with app.extensions["engine"].connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == AuditEntry.__tablename__:
                continue
            columns = [c for c in table.columns if isinstance(c.type, (String, Text)) and not isinstance(c.type, Enum)]
            for row in conn.execute(select(*columns)) if columns else ():
                found.update(value for value in row if value)
    return sorted(found, key=len, reverse=True)


def visible_text(page: str) -> str:
    """The words of a page a person reads (tooltips included), tags and styles left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def without(text: str, strings: list[str]) -> str:
    for value in strings:
        text = text.replace(value, " ")
    return text


def crawl(client, start: str = "/", limit: int = 200) -> dict[str, str]:
    """Pages (URL → HTML) reached from `start` by links, one per URL shape (digits stand for any id)."""
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages[url] = response.get_data(as_text=True)
        queue += [link for link in _links(url, pages[url]) if link not in pages]
    return pages


def _links(url: str, page: str) -> list[str]:
    links = []
    for href in re.findall(r'href="([^"#]+)"', page):
        parts = urlsplit(urljoin(url, html.unescape(href)))
        if parts.netloc not in ("", "localhost") or NOT_PAGES.search(parts.path) or "lang=" in parts.query:
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links
