"""The pilot-plant booking and billing web application."""
from flask import Flask

from .config import PROJECT_ROOT, default_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the defaults and the environment."""
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "app" / "static"))
    app.config.update(default_config())
    app.config.update(config or {})

    from . import auth, cli, db, edges, i18n, security, views
    from .api import init_api
    from .jobs.queue import init_jobs

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
