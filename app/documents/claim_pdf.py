"""The subsidy claim as a PDF in Chinese, printed from the claim's frozen snapshot."""

import base64
import io
import json

import qrcode
import qrcode.image.svg
from flask import current_app, url_for

from app.documents.claim_listing import (
    DETAIL,
    EXCLUDED,
    PAYMENTS,
    detail_lines,
    excluded_lines,
    header,
    pages,
    payment_lines,
)
from app.documents.formats import percent, yuan
from app.documents.pdf import render_pdf
from app.models import SubsidyClaim
from app.platform.context import current_context
from app.platform.timefmt import to_local
from billing import amount_in_words

MONTHS = [f"{month} 月" for month in range(1, 13)]


def verification_url(claim: SubsidyClaim) -> str:
    """The public address of the claim's check (PUBLIC_BASE_URL, whatever host the request came in by)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("subsidy.verify", code=claim.verification_code)


def qr_data_uri(text: str) -> str:
    """An SVG QR code of `text` as a data: URL (the PDF fetcher allows nothing else)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _payments(data: dict) -> list[list[str]]:
    return next((annex["rows"] for annex in data.get("dossier", []) if annex["key"] == "payments"), [])


def claim_pdf(claim: SubsidyClaim, is_out_of_date: bool) -> bytes:
    """The claim's PDF: application form, revenue tables, detailed list, exclusions, declaration."""
    url = verification_url(claim)
    data = json.loads(claim.snapshot)
    listing = {
        "detail_header": header(DETAIL),
        "detail": pages(detail_lines(data["documents"], yuan)),
        "excluded_header": header(EXCLUDED),
        "excluded": pages(excluded_lines(data["excluded"], yuan)),
        "payments_header": header(PAYMENTS),
        "payments": pages(payment_lines(_payments(data), yuan)),
    }
    return render_pdf(
        "pdf/claim.html",
        claim=claim,
        data=data,
        listing=listing,
        months=MONTHS,
        amount_words=amount_in_words(claim.amount),
        yuan=yuan,
        percent=percent,
        created_on=to_local(claim.created_at, current_context().tz).date(),
        out_of_date=is_out_of_date,
        verification_url=url,
        qr=qr_data_uri(url),
    )
