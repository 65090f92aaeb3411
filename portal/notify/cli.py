"""flask notify run | status."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("notify")
def notify_cli() -> None:
    """Deliver outbox e-mails and webhooks."""


@notify_cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (for cron).")
@click.option(
    "--poll",
    type=float,
    default=None,
    help="Seconds between passes [NOTIFY_POLL_SECONDS].",
)
@with_appcontext
def run(once: bool, poll: float | None) -> None:
    """Deliver due messages; safe to run on several hosts at once."""
    from portal.notify.worker import MailConfigurationError, Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    try:
        worker = Worker(app)
    except MailConfigurationError as error:
        raise click.ClickException(str(error)) from None
    if once:
        click.echo(worker.run_once())
        return
    worker.run_forever(poll if poll is not None else app.config["NOTIFY_POLL_SECONDS"])


@notify_cli.command("status")
@click.option("--errors", "last_errors", default=10, show_default=True)
@with_appcontext
def status(last_errors: int) -> None:
    """Counts by status and the last errors."""
    from portal.notify.worker import status_report

    click.echo(status_report(current_app._get_current_object(), last_errors))
