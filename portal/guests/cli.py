"""`flask guests expire` (daily, with the other cron commands): warn sponsors a week before a
guest's access ends, end it on the day. `flask guests import FILE`: invite guests from CSV."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.guests.services import expiry

guests_cli = AppGroup("guests", help="Partner and vendor guests.")


@guests_cli.command("expire")
def expire_command():
    """Warn sponsors of guests whose access ends within a week; end what ended today."""
    result = expiry.run()
    click.echo(f"Guests: {result.warned} warned, {result.ended} ended.")
