"""CSRF on every form, security headers on every response, and the proxy headers of trusted proxies."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import csrf

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


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
