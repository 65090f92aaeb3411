"""flask requests autoclose | scan: the jobs cron runs (safe on several hosts at once)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

requests_cli = AppGroup("requests", help="Scheduled jobs for service requests.")


@requests_cli.command("autoclose")
def autoclose_command() -> None:
    """Close requests resolved 5 or more business days ago."""
    from portal.service_requests import services

    closed = services.autoclose()
    click.echo(
        f"Closed {closed} request{'s' if closed != 1 else ''} resolved "
        f"{services.AUTOCLOSE_BUSINESS_DAYS}+ business days ago."
    )


@requests_cli.command("scan")
def scan_command() -> None:
    """Tell departments about requests whose clock went at risk or breached (once each)."""
    from portal.service_requests import services

    sent = services.scan_alerts()
    click.echo(f"Queued {sent} at-risk or breached alert{'s' if sent != 1 else ''}.")
