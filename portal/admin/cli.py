"""flask org import people.csv [--dry-run/--apply] [--valid-rows-only] [--deactivate-missing]"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.admin import org_import
from portal.extensions import db
from portal.models import User

org_cli = AppGroup("org", help="Import the organisation (people, departments) from HR.")


@org_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run/--apply",
    default=True,
    show_default=True,
    help="Only report what would change (the default), or write it.",
)
@click.option(
    "--valid-rows-only",
    is_flag=True,
    help="With --apply: import the good rows even when some rows are bad.",
)
@click.option(
    "--deactivate-missing",
    is_flag=True,
    help="Deactivate people who are not in the file (a full export). Never admins.",
)
@click.option("--as", "as_email", default="", help="The admin's e-mail to record in the audit log.")
def import_command(
    path: Path, dry_run: bool, valid_rows_only: bool, deactivate_missing: bool, as_email: str
) -> None:
    """Check (and with --apply, import) a people or departments CSV."""
    actor = None
    if as_email:
        actor = db.session.scalar(
            select(User).where(func.lower(User.email) == as_email.strip().lower(), User.active)
        )
        if actor is None or not actor.is_admin:
            raise click.ClickException(f"{as_email} is not an active portal admin.")
    if dry_run:
        mode = org_import.Mode.DRY_RUN
    else:
        mode = org_import.Mode.VALID_ROWS_ONLY if valid_rows_only else org_import.Mode.APPLY
    size = path.stat().st_size
    if size > org_import.max_bytes():
        raise click.ClickException(
            f"{path.name} is {org_import.size_words(size)}; an org file can be at most "
            f"{org_import.size_words(org_import.max_bytes())}."
        )
    started = time.perf_counter()
    try:
        report = org_import.run_import(
            actor,
            path.read_bytes(),
            mode,
            deactivate_missing=deactivate_missing,
            filename=path.name,
        )
    except org_import.ImportRefused as exc:
        raise click.ClickException(exc.message) from None
    elapsed = time.perf_counter() - started
    for error in report.errors:
        column = f", column {error.column}" if error.column else ""
        click.echo(f"line {error.line}{column}: {error.reason}", err=True)
    if report.deactivation_withheld:
        click.echo("Nobody deactivated as missing: that needs a file without errors.", err=True)
    verb = "imported" if report.applied else "dry run"
    click.echo(
        f"{path.name} ({report.kind}, {report.rows} rows), {verb}: {report.summary} "
        f"[{elapsed:.2f} s]"
    )
    if report.errors and mode == org_import.Mode.APPLY:
        raise click.ClickException(
            "Nothing was imported because some rows have errors. Correct them, or use "
            "--valid-rows-only to import the others."
        )
    if report.errors and mode == org_import.Mode.DRY_RUN:
        raise SystemExit(1)
