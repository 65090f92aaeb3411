"""flask mail receive | fetch | address.

`receive` is for an MTA's pipe delivery (Postfix `pipe`, procmail): one message on standard
input; exit 0 when it was handled or deliberately dropped, EX_TEMPFAIL (75) only when the
MTA should try again later (the database is down, the disk is full: anything unexpected,
since a message refused for good is still exit 0 and recorded).
"""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again
CHUNK = 1024 * 1024

log = logging.getLogger(__name__)


@click.group("mail")
def mail_cli() -> None:
    """Take mail to departments' mailboxes (requests and replies by e-mail)."""


def read_limited(stream, limit: int) -> tuple[bytes, int]:
    """(up to limit + 1 bytes of the stream, its whole size): the rest is read and let go,
    so a huge message costs no memory and the MTA's pipe is drained."""
    raw = stream.read(limit + 1)
    size = len(raw)
    while size > limit and (chunk := stream.read(CHUNK)):
        size += len(chunk)
    return raw, size


@mail_cli.command("receive")
@click.option(
    "--recipient", default=None, help="The envelope recipient (Postfix ${original_recipient})."
)
@with_appcontext
def receive(recipient: str | None) -> None:
    """Take one RFC 5322 message from standard input."""
    from portal.mail_in.taking import take

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        raw, size = read_limited(sys.stdin.buffer, current_app.config["MAIL_IN_MAX_BYTES"])
        outcome = take(raw, recipient, size=size)
    except Exception:
        log.exception("mail not taken; asking the MTA to try again later")
        sys.exit(EX_TEMPFAIL)
    click.echo(_describe(outcome))


def _describe(outcome) -> str:
    if outcome.duplicate:
        return "duplicate: taken before"
    key = f" {outcome.request_key}" if outcome.request_key else ""
    reason = f": {outcome.reason}" if outcome.reason else ""
    return f"{outcome.outcome.value}{key}{reason}"


@mail_cli.command("fetch")
@click.option("--url", "urls", multiple=True, help="An IMAP mailbox URL [MAIL_IMAP_URLS].")
@with_appcontext
def fetch(urls: tuple[str, ...]) -> None:
    """Poll the IMAP mailboxes once (run it from cron or a systemd timer)."""
    from portal.mail_in.imap_fetch import ImapSource, fetch_folder
    from portal.mail_in.taking import take

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = current_app.config
    sources = [ImapSource.from_url(u) for u in (urls or config["MAIL_IMAP_URLS"].split())]
    if not sources:
        raise click.ClickException("No IMAP mailbox: set MAIL_IMAP_URLS or pass --url.")
    failed = False
    for source in sources:
        try:
            summary = fetch_folder(
                source,
                lambda raw, size: take(raw, size=size),
                done_folder=config["MAIL_IMAP_DONE_FOLDER"],
                limit=config["MAIL_IN_MAX_BYTES"],
                timeout=config["MAIL_IMAP_TIMEOUT_SECONDS"],
            )
        except Exception as error:  # one mailbox down must not stop the others
            log.error("%r: %s", source, error)
            failed = True
            continue
        click.echo(
            f"{source.name}: {summary.taken} taken, {summary.duplicates} taken before, "
            f"{summary.left} left for the next poll"
        )
    if failed:
        sys.exit(EX_TEMPFAIL)


@mail_cli.command("address")
@click.argument("department_slug")
@click.argument("address")
@click.option("--service", "service_slug", default=None, help="The service new requests go to.")
@with_appcontext
def address(department_slug: str, address: str, service_slug: str | None) -> None:
    """Take mail for a department at ADDRESS (the first becomes its reply address)."""
    from portal.core.errors import Refused
    from portal.mail_in.mailboxes import add_address, department_and_service

    try:
        department, service = department_and_service(department_slug, service_slug)
        add_address(department, address, service)
    except (Refused, LookupError) as error:
        raise click.ClickException(getattr(error, "message", str(error))) from None
    click.echo(f"{department.name} takes mail at {address.lower()}")
