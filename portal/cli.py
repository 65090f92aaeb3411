"""Command-line tasks: flask seed-demo; registers each area's commands. The bench data
generators are not product commands: `python -m bench.data` (bench/README.md)."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    from portal.admin.cli import org_cli
    from portal.insights.cli import insights_cli
    from portal.notify.cli import notify_cli
    from portal.service_requests.cli import requests_cli

    app.cli.add_command(notify_cli)
    app.cli.add_command(org_cli)
    app.cli.add_command(requests_cli)
    app.cli.add_command(insights_cli)

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo organisation (idempotent)."""
        from portal.demo.loader import load_demo_organisation

        summary = load_demo_organisation()
        click.echo(summary)
