"""Huanying (欢迎): the application factory. Reads as a table of contents; wiring only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from learnapp.resources import resource_dir


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, security headers, blueprints, CLI, error pages."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_config(app, config)
    register_converters(app)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_cli(app)
    register_errors(app)
    warm_dictionaries(app)
    return app


def warm_dictionaries(app: Flask) -> None:
    """Load CC-CEDICT (about 2 s) in the background as the app starts, so the first learner to turn a
    card does not wait for it; it is loaded once a process and kept."""
    if app.config.get("WARM_DICTIONARIES", True):
        import threading

        from learnapp.chinese.sandhi import words_of

        threading.Thread(target=words_of, args=("你好",), name="warm-cedict", daemon=True).start()


def register_config(app: Flask, config: dict[str, Any] | None) -> None:
    from learnapp.config import from_environment

    app.config.from_mapping(from_environment(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)


def register_converters(app: Flask) -> None:
    from learnapp.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from learnapp.auth.service import load_user
    from learnapp.database import configure_engine
    from learnapp.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def register_security(app: Flask) -> None:
    from learnapp.security import install

    install(app)


def register_blueprints(app: Flask) -> None:
    from learnapp.account.views import bp as account
    from learnapp.auth.views import bp as auth
    from learnapp.decks.views import bp as decks
    from learnapp.main import bp as main
    from learnapp.onboarding.views import bp as onboarding
    from learnapp.settings.views import bp as settings
    from learnapp.stats.views import bp as stats
    from learnapp.study.views import bp as study
    from learnapp.teach import admin_views, learner_views
    from learnapp.teach import views as teach
    from learnapp.wiki.views import bp as wiki

    for blueprint in (main, auth, decks, study, wiki, account, settings, stats, onboarding):
        app.register_blueprint(blueprint)
    for blueprint in (teach.bp, learner_views.bp, admin_views.bp):  # teaching: decks, classes, roles
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    from learnapp.templating import install

    install(app)


def register_cli(app: Flask) -> None:
    from learnapp.cli import decks_cli, users_cli

    app.cli.add_command(decks_cli)
    app.cli.add_command(users_cli)


def register_errors(app: Flask) -> None:
    from learnapp.errors import register_error_handlers

    register_error_handlers(app)
