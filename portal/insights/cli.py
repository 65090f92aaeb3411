"""flask insights refresh | scan — cron jobs of the scorecards.

*/5 * * * *  flask insights refresh     # the scorecard rollup (what changed since last run)
0 6 * * 1    flask insights scan        # weekly early warning (refreshes first)
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.insights import rollup, warning

insights_cli = AppGroup("insights", help="Scorecard rollup and early warning.")


@insights_cli.command("refresh")
@click.option("--full", is_flag=True, help="Rebuild every figure, not only what changed.")
def refresh_command(full: bool) -> None:
    """Bring the scorecard figures up to date."""
    result = rollup.refresh(full=full)
    click.echo(f"Re-measured {result.requests} requests; {result.days} department days rebuilt.")


@insights_cli.command("scan")
def scan_command() -> None:
    """Refresh, then flag departments whose figures decline in a sustained way."""
    raised = warning.scan()
    click.echo(f"{raised} new early warning{'s' if raised != 1 else ''}.")
