"""Command-line tasks: flask seed-demo, flask bench-data, flask create-admin."""

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

    @app.cli.command("bench-data")
    @click.option("--scale", default=1.0, show_default=True, help="Fraction of the full size.")
    def bench_data(scale: float) -> None:
        """Generate a large organisation for bench/ (300 departments, 5,000 services,
        100,000 people, a million requests and a million recognitions at scale 1)."""
        from portal.bench_data import generate_bench_data

        generate_bench_data(
            departments=max(3, int(300 * scale)),
            services=max(10, int(5000 * scale)),
            employees=max(10, int(100_000 * scale)),
            requests=max(100, int(1_000_000 * scale)),
            recognitions=max(100, int(1_000_000 * scale)),
            echo=click.echo,
        )
