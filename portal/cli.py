"""Command-line tasks: flask seed-demo, flask bench-data, flask create-admin."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo organisation (idempotent)."""
        from portal.demo.loader import load_demo_organisation

        summary = load_demo_organisation()
        click.echo(summary)
