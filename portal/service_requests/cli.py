"""flask requests autoclose | scan: the jobs cron runs (safe on several hosts at once); scan
also reminds approvers (portal.approvals)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.approvals.services import reminders
from portal.knowledge.services import review
from portal.service_requests.services import jobs

requests_cli = AppGroup("requests", help="Scheduled jobs for service requests.")


@requests_cli.command("autoclose")
def autoclose_command() -> None:
    """Close requests resolved 5 or more business days ago."""
    closed = jobs.autoclose()
    click.echo(
        f"Closed {closed} request{'s' if closed != 1 else ''} resolved "
        f"{jobs.AUTOCLOSE_BUSINESS_DAYS}+ business days ago."
    )


@requests_cli.command("scan")
def scan_command() -> None:
    """Tell departments about requests whose clock went at risk or breached (once each)."""
    sent = jobs.scan_alerts()
    click.echo(f"Queued {sent} at-risk or breached alert{'s' if sent != 1 else ''}.")
    stale = review.flag_overdue()  # help articles past their review date (issue 14)
    click.echo(f"Told the owners of {stale} help article{'s' if stale != 1 else ''} to review.")
    reminded = reminders.send_reminders()  # approvers who have not decided (issue 16)
    click.echo(f"Reminded approvers of {reminded} approval{'s' if reminded != 1 else ''}.")
