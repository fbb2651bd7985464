"""Huanying (欢迎): the application factory. Reads as a table of contents; wiring only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from learnapp.resources import resource_dir


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, logs, extensions, security headers, blueprints, CLI, error pages."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_config(app, config)
    register_logging(app)
    register_input_hygiene(app)
    register_converters(app)
    register_extensions(app)
    register_assets(app)
    register_compression(app)
    register_security(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_cli(app)
    register_errors(app)
    register_jobs(app)
    register_mail(app)
    warm_dictionaries(app)
    return app


def warm_dictionaries(app: Flask) -> None:
    """Load CC-CEDICT and the segmenter's index of it (a few seconds) in the background as the app starts,
    so the first learner to turn a card or paste a post does not wait; loaded once a process and kept."""
    if app.config.get("WARM_DICTIONARIES", True):
        import threading

        from learnapp.chinese.sandhi import words_of

        threading.Thread(target=words_of, args=("你好",), name="warm-cedict", daemon=True).start()


def register_config(app: Flask, config: dict[str, Any] | None) -> None:
    from learnapp.config import from_environment

    app.config.from_mapping(from_environment(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)


def register_logging(app: Flask) -> None:
    from learnapp.observability import install

    install(app)


def register_input_hygiene(app: Flask) -> None:
    """Control characters and the like refused once, before any other hook or view reads the request."""
    from learnapp.inputs import install

    install(app)


def register_converters(app: Flask) -> None:
    from learnapp.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from learnapp.auth.service import load_user
    from learnapp.auth.sessions import install as install_sessions
    from learnapp.database import configure_engine, engine_options
    from learnapp.database import install as install_database
    from learnapp.extensions import csrf, db, htmx, login_manager, migrate
    from learnapp.ratelimit import install as install_rate_limits

    engine_options(app.config)
    db.init_app(app)
    configure_engine(app)
    install_database(app)  # reads end with COMMIT on PostgreSQL (prepared statements survive)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    htmx.init_app(app)
    install_rate_limits(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    install_sessions(app)  # a session's last_seen, written at the request's end


def register_assets(app: Flask) -> None:
    """Static files under content-hashed addresses, cached for a year (learnapp/assets.py)."""
    from learnapp.assets import install

    install(app)


def register_compression(app: Flask) -> None:
    """Brotli or gzip for text responses, pages and htmx fragments included (settings in config.py)."""
    from learnapp.extensions import compress

    compress.init_app(app)


def register_security(app: Flask) -> None:
    from learnapp.security import install

    install(app)


def register_blueprints(app: Flask) -> None:
    from learnapp.account.views import bp as account
    from learnapp.admin import invites
    from learnapp.admin import views as admin
    from learnapp.auth.views import bp as auth
    from learnapp.classes.views import bp as classes
    from learnapp.decks.views import bp as decks
    from learnapp.jobs.views import bp as jobs
    from learnapp.main import bp as main
    from learnapp.reader.views import bp as reader
    from learnapp.reminders.views import bp as reminders
    from learnapp.settings.views import bp as settings
    from learnapp.share.views import bp as share
    from learnapp.stats.views import bp as stats
    from learnapp.study.offline_views import bp as offline
    from learnapp.study.views import bp as study
    from learnapp.teach.views import bp as teach
    from learnapp.welcome.views import bp as welcome
    from learnapp.wiki.views import bp as wiki

    for blueprint in (main, auth, decks, study, wiki, reader, account, settings, stats, welcome, share, jobs):
        app.register_blueprint(blueprint)
    for blueprint in (teach, classes, admin.bp, invites.bp):  # teaching: decks, classes, invites; admin
        app.register_blueprint(blueprint)
    app.register_blueprint(reminders)  # stopping reminders from a mail
    app.register_blueprint(offline)  # studying offline: the service worker, the pack, the sync


def register_template_helpers(app: Flask) -> None:
    from learnapp.templating import install

    install(app)


def register_cli(app: Flask) -> None:
    from learnapp.cli import decks_cli, jobs_cli, mail_cli, reminders_cli, users_cli

    app.cli.add_command(decks_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(mail_cli)


def register_jobs(app: Flask) -> None:
    from learnapp.jobs.runner import install

    install(app)


def register_mail(app: Flask) -> None:
    """Check the SMTP settings at start (a typo fails loudly now, not at the first sign-up); without them
    mails go to the log, which is then shown on stderr if nothing else configured logging."""
    from learnapp.mail.transport import install_log, smtp_settings

    if smtp_settings(app.config) is None:
        install_log()


def register_errors(app: Flask) -> None:
    from learnapp.errors import register_error_handlers

    register_error_handlers(app)
