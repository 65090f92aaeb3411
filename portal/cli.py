"""Command-line tasks: flask seed-demo; registers each area's commands and `flask db`. The
bench data generators are not product commands: `python -m bench.data` (bench/README.md)."""

from __future__ import annotations

import click
from flask import Flask

MIGRATIONS = "../migrations"  # beside the package, from app.root_path


def register(app: Flask) -> None:
    from portal.admin.cli import org_cli
    from portal.guests.cli import guests_cli
    from portal.insights.cli import insights_cli
    from portal.mail_in.cli import mail_cli
    from portal.notify.cli import notify_cli
    from portal.service_requests.cli import requests_cli

    app.cli.add_command(notify_cli)
    app.cli.add_command(org_cli)
    app.cli.add_command(requests_cli)
    app.cli.add_command(insights_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(guests_cli)
    if click.get_current_context(silent=True) is not None or app.testing:
        register_migrations(app)

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo organisation (idempotent)."""
        from portal.demo.loader import load_demo_organisation

        summary = load_demo_organisation()
        click.echo(summary)


def register_migrations(app: Flask) -> None:
    """Flask-Migrate (`flask db …`, and `flask_migrate.upgrade` in the tests). Only the
    command line needs it: an app built by the `flask` command (a click context is active
    while it loads the app) or for the tests registers it; a web worker (gunicorn imports
    `wsgi`) never imports Alembic, about 10 MiB and 60 ms of start-up less per worker."""
    from flask_migrate import Migrate

    from portal.extensions import db

    Migrate(app, db, directory=str(app.root_path + "/" + MIGRATIONS))
