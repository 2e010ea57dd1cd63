"""CSRF on every form, security headers on every response, the proxy headers of trusted proxies, and
same-site redirect targets."""

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.platform.extensions import csrf

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def init_security(app: Flask) -> None:
    csrf.init_app(app)
    hops = app.config["TRUSTED_PROXIES"]
    if hops:  # the client's address, https and host as the proxy saw them (login attempts, external URLs)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def same_site_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: no scheme, no host, no control character and no
    backslash (browsers drop tabs and newlines and read a backslash as a slash: "/<tab>/evil" means "//evil")."""
    if not target or any(ord(c) < 0x20 or c in "\x7f\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
