"""The pilot-plant booking and billing web application."""

from flask import Flask

from app.platform.config import PROJECT_ROOT, default_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the defaults and the environment."""
    app = Flask(
        __name__, template_folder=str(PROJECT_ROOT / "templates"), static_folder=str(PROJECT_ROOT / "app" / "static")
    )
    app.config.update(default_config())
    app.config.update(config or {})

    from app.jobs.queue import init_jobs
    from app.ops import cli
    from app.platform import db
    from app.web import auth, edges, i18n, security, views
    from app.web.api import init_api

    db.init_db(app)
    init_jobs(app)
    auth.init_auth(app)
    i18n.init_i18n(app)
    security.init_security(app)
    edges.init_edges(app)
    views.register(app)
    init_api(app)
    cli.register(app)
    return app
