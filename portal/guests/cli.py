"""`flask guests expire` (daily, with the other cron commands): warn sponsors a week before a
guest's access ends, end it on the day. `flask guests import FILE`: invite guests from CSV."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core.errors import Refused
from portal.guests.services import expiry, importing

guests_cli = AppGroup("guests", help="Partner and vendor guests.")


@guests_cli.command("expire")
def expire_command():
    """Warn sponsors of guests whose access ends within a week; end what ended today."""
    result = expiry.run()
    click.echo(f"Guests: {result.warned} warned, {result.ended} ended.")


@guests_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--department", "slug", required=True, help="The sponsoring department's slug.")
@click.option("--sponsor", "sponsor_email", required=True, help="A manager of that department.")
@click.option("--admin", "admin_email", required=True, help="The admin running the import.")
@click.option("--apply", "apply_", is_flag=True, help="Invite them (without it: check only).")
def import_command(path: str, slug: str, sponsor_email: str, admin_email: str, apply_: bool):
    """Invite guests from a CSV file: email, name, organisation, reason, expires_on."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        department, sponsor, admin = importing.parties(slug, sponsor_email, admin_email)
        result = importing.read(data)
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    for error in result.errors[:50]:
        click.echo(f"line {error.line}, {error.column}: {error.reason}", err=True)
    if not apply_:
        click.echo(f"{len(result.rows)} guests can be invited; {len(result.errors)} rows refused.")
        return
    invited = importing.apply(admin, department, sponsor, result)
    click.echo(f"{invited} guests invited; {len(result.errors)} rows refused.")
