"""The application factory."""

import logging
import os
from importlib import import_module

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import babel, csrf, db, limiter, login_manager, migrate, sock
from config import INSTANCE_DIR, config_for

__version__ = "0.1.0"

# Every blueprint, explicitly: "module path:attribute".
BLUEPRINTS = (
    "app.core.health:bp",
    "app.auth.routes:bp",
    "app.settings.preferences:bp",
    "app.settings:bp",
    "app.dashboard.routes:bp",
    "app.tenants.routes:bp",
    "app.admin.routes:bp",
    "app.configuration.routes:bp",
    "app.labels.routes:bp",
    "app.custom_fields.routes:bp",
    "app.jobs.routes:bp",
    "app.files.routes:bp",
    "app.activity.routes:bp",
    "app.realtime.routes:bp",
    "app.contacts.routes:bp",
    "app.projects.routes:bp",
    "app.tasks.routes:bp",
)
DEV_BLUEPRINTS = ("app.devtools.routes:bp",)

# Imported so Alembic and the ORM see every table.
MODEL_MODULES = (
    "app.tenants.models",
    "app.auth.models",
    "app.configuration.models",
    "app.labels.models",
    "app.custom_fields.models",
    "app.audit.models",
    "app.core.mail",
    "app.activity.models",
    "app.jobs.models",
    "app.files.models",
    "app.contacts.models",
    "app.saved_views.models",
    "app.projects.models",
    "app.tasks.models",
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def _load(path: str):
    module, attribute = path.split(":")
    return getattr(import_module(module), attribute)


def create_app(env: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_DIR),
    )
    config = config_for(env)
    config.validate()
    app.config.from_object(config)
    app.config.update(overrides)
    INSTANCE_DIR.mkdir(exist_ok=True)
    logging.basicConfig(level=logging.INFO)

    for module in MODEL_MODULES:
        import_module(module)
    _init_extensions(app)
    _install_session_hooks()
    for path in BLUEPRINTS + (DEV_BLUEPRINTS if app.config["DEV_MAIL_ENABLED"] else ()):
        app.register_blueprint(_load(path))

    from app.core.errors import register_error_handlers
    from app.core.permissions import enforce_declarations

    enforce_declarations(app)
    register_error_handlers(app)
    from app.core.templating import register_templating

    register_templating(app)
    _register_request_hooks(app)
    _register_template_context(app)

    from app.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core.i18n import select_locale
    from app.core.templating import tenant_timezone

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.normpath(os.path.join(app.root_path, "..", "migrations")),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=tenant_timezone)
    sock.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(token: str):
        from app.auth.services import load_session

        record = load_session(token)
        if record is None:
            return None
        g.auth_session = record
        record.user.auth_session_token = token
        return record.user


_hooks_installed = False


def _install_session_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    from app.core import after_commit, tenancy

    tenancy.install()
    after_commit.install()
    _hooks_installed = True


def _register_request_hooks(app: Flask) -> None:
    from app.core.tenancy import clear_scope, set_tenant

    @app.before_request
    def resolve_tenant():
        clear_scope()
        g.membership = None
        g.memberships = []
        if request.endpoint == "static" or not current_user.is_authenticated:
            return
        from app.tenants.services import memberships_of

        memberships = memberships_of(current_user)
        record = g.get("auth_session")
        chosen = next(
            (m for m in memberships if record and m.tenant_id == record.current_tenant_id),
            memberships[0] if memberships else None,
        )
        if (
            record is not None
            and chosen is not None
            and record.current_tenant_id != chosen.tenant_id
        ):
            record.current_tenant_id = chosen.tenant_id
        g.memberships = memberships
        g.membership = chosen
        if chosen is not None:
            set_tenant(chosen.tenant_id)

    @app.after_request
    def finish(response):
        # Touching the session (last_active_at) is the only write a GET may make.
        if db.session.dirty and request.method == "GET":
            db.session.commit()
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response

    @app.teardown_request
    def reset_scope(exc):
        clear_scope()


def _register_template_context(app: Flask) -> None:
    from app.core.i18n import select_theme, text_direction
    from app.core.navigation import nav_items

    @app.context_processor
    def shell_context():
        locale = str(get_locale() or "he")
        membership = g.get("membership")
        return {
            "locale": locale,
            "text_direction": text_direction(locale),
            "theme": select_theme(),
            "current_membership": membership,
            "current_tenant": membership.tenant if membership else None,
            "user_memberships": g.get("memberships", []),
            "nav_items": nav_items(membership, current_user),
            "app_version": __version__,
        }
