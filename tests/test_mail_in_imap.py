"""Issue 15's "done when", over real servers: Dovecot (IMAP, tests/imap_server.py) for the
mail coming in, aiosmtpd (tests/notify_servers.py) for what goes out; and the same through
`flask mail receive` as an MTA's pipe runs it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted
from sqlalchemy import func, select

from portal.core import clock
from portal.extensions import db
from portal.mail_in import mailboxes
from portal.mail_in.imap_fetch import ImapSource, fetch_folder
from portal.mail_in.taking import take
from portal.models import (
    EventKind,
    ImapCursor,
    InboundMessage,
    OutboxMessage,
    OutboxStatus,
    RequestAttachment,
    RequestEvent,
    ServiceRequest,
)
from portal.notify.worker import Worker
from tests import worlds
from tests.imap_server import DovecotServer, require_dovecot
from tests.mail_messages import PNG, mail, reply_to

MAILBOX = "it-help@example.com"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dovecot():
    require_dovecot()
    server = DovecotServer({MAILBOX: "imap-secret"}).start()
    yield server
    server.stop()


@pytest.fixture
def desk(app):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    mailboxes.add_address(world.it, MAILBOX, world.laptop)
    return world


def deliver(server: DovecotServer, raw: bytes) -> None:
    """Put a message into the mailbox as the MTA would (IMAP APPEND)."""
    with MailBoxUnencrypted("127.0.0.1", server.port).login(MAILBOX, "imap-secret") as box:
        box.append(raw, "INBOX")


def folder_uids(server: DovecotServer, folder: str) -> list[str]:
    with MailBoxUnencrypted("127.0.0.1", server.port).login(MAILBOX, "imap-secret") as box:
        if not box.folder.exists(folder):
            return []
        box.folder.set(folder)
        return box.uids()


def fetch(runner, server: DovecotServer):
    result = runner.invoke(args=["mail", "fetch", "--url", server.url(MAILBOX)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    return result.output


def deliver_outbox(build_app, smtp) -> int:
    worker = Worker(
        build_app(
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=smtp.port,
            SMTP_STARTTLS=False,
            SMTP_TIMEOUT_SECONDS=2,
            MAIL_FROM="Inward <inward@example.org>",
        ),
        name="mail-test",
        rng=random.Random(7),
    )
    sent = worker.run_once(now=clock.now() + timedelta(minutes=1)).sent
    db.session.rollback()
    return sent


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(sr_id: int) -> list[RequestEvent]:
    return list(
        db.session.scalars(
            select(RequestEvent).where(RequestEvent.request_id == sr_id).order_by(RequestEvent.id)
        )
    )


def test_mail_to_it_over_imap_becomes_a_request_and_replies_thread_back(
    desk, dovecot, smtp, runner, build_app
):
    deliver(dovecot, mail(files=(("screen.png", "image/png", PNG),)))
    assert "1 taken" in fetch(runner, dovecot)
    sr = db.session.scalar(select(ServiceRequest))
    assert (sr.key, sr.department_id, sr.title) == (
        "IT-1",
        desk.it.id,
        "The printer on floor 2 is jammed",
    )
    assert [f.filename for f in db.session.scalars(select(RequestAttachment))] == ["screen.png"]
    assert folder_uids(dovecot, "INBOX") == [] and len(folder_uids(dovecot, "Inward")) == 1

    # The acknowledgement arrives over SMTP with the key, the promise and a reply address.
    assert deliver_outbox(build_app, smtp) >= 1
    [ack] = [m for _f, to, m in smtp.messages if to == ["erin@example.com"]]
    assert ack["Subject"] == "IT-1 sent to IT"
    assert "promise a first reply within 4 business hours" in ack.get_body(("plain",)).get_content()
    assert str(ack["Reply-To"]).startswith("it-help+IT-1.")

    # Replying to it, history quoted below: only the new words reach the timeline.
    deliver(dovecot, reply_to(ack, sender="erin@example.com", text="Thanks, it works now."))
    assert "1 taken" in fetch(runner, dovecot)
    replies = [e.body for e in events(sr.id) if e.kind is EventKind.REPLY]
    assert replies == ["Thanks, it works now."]
    deliver_outbox(build_app, smtp)
    sent_before = len(smtp.messages)

    # An out-of-office reply to it adds nothing and sends nothing.
    away = reply_to(
        ack,
        sender="erin@example.com",
        text="I am away until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    deliver(dovecot, away)
    timeline_before = len(events(sr.id))
    fetch(runner, dovecot)
    assert len(events(sr.id)) == timeline_before
    assert deliver_outbox(build_app, smtp) == 0 and len(smtp.messages) == sent_before
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
        )
        == 0
    )


def test_the_same_message_fetched_by_two_workers_at_once_is_taken_once(desk, dovecot, build_app):
    deliver(dovecot, mail(subject="Fetched twice"))
    db.session.commit()
    source = ImapSource.from_url(dovecot.url(MAILBOX))
    start = threading.Barrier(2)
    summaries, errors = [], []

    def worker(other):
        with other.app_context():
            start.wait()
            try:
                summaries.append(
                    fetch_folder(
                        source,
                        lambda raw, size: take(raw, size=size),
                        done_folder="Inward",
                        limit=other.config["MAIL_IN_MAX_BYTES"],
                        timeout=10,
                    )
                )
            except Exception as error:  # reported below
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(build_app(),)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    db.session.rollback()
    assert count(ServiceRequest) == 1 and count(InboundMessage) == 1
    assert sum(s.taken for s in summaries) == 1
    assert folder_uids(dovecot, "INBOX") == []


def test_fetch_keeps_a_cursor_and_reads_only_uids_above_it(desk, dovecot, runner):
    deliver(dovecot, mail(subject="First"))
    fetch(runner, dovecot)
    [cursor] = db.session.scalars(select(ImapCursor))
    assert cursor.last_uid == 1 and cursor.source == f"{MAILBOX}@127.0.0.1:{dovecot.port}/INBOX"
    # Another host handled UID 2 already (moved the cursor) but could not move it away.
    deliver(dovecot, mail(subject="Handled elsewhere"))
    deliver(dovecot, mail(subject="Third"))
    cursor.last_uid = 2
    db.session.commit()
    assert "1 taken, 0 taken before" in fetch(runner, dovecot)
    titles = set(db.session.scalars(select(ServiceRequest.title)))
    assert titles == {"First", "Third"}
    assert len(folder_uids(dovecot, "INBOX")) == 1  # left where it was


def test_fetch_from_a_mailbox_that_refuses_the_login_exits_75(desk, dovecot, runner):
    url = dovecot.url(MAILBOX).replace("imap-secret", "wrong")
    result = runner.invoke(args=["mail", "fetch", "--url", url])
    assert result.exit_code == 75


# ---------------------------------------------------------------- flask mail receive


def receive(runner, raw: bytes, *args):
    result = runner.invoke(args=["mail", "receive", *args], input=raw)
    db.session.rollback()
    return result


def test_flask_mail_receive_takes_a_request_a_reply_and_drops_an_out_of_office(
    desk, runner, build_app, smtp
):
    first = receive(runner, mail())
    assert (first.exit_code, first.output.strip()) == (0, "created IT-1")
    deliver_outbox(build_app, smtp)
    [ack] = [m for _f, to, m in smtp.messages if to == ["erin@example.com"]]
    reply = receive(runner, reply_to(ack, sender="erin@example.com", text="Solved, thanks."))
    assert (reply.exit_code, reply.output.strip()) == (0, "replied IT-1")
    away = receive(
        runner,
        reply_to(ack, sender="erin@example.com", text="Away", headers={"X-Autoreply": "yes"}),
    )
    assert away.exit_code == 0 and away.output.startswith("dropped")
    again = receive(runner, mail(message_id="<same@client.example.com>"))
    twice = receive(runner, mail(message_id="<same@client.example.com>"))
    assert (again.exit_code, twice.exit_code, twice.output.strip()) == (
        0,
        0,
        "duplicate: taken before",
    )
    assert count(ServiceRequest) == 2
    sr = db.session.scalar(select(ServiceRequest).where(ServiceRequest.key == "IT-1"))
    assert [e.body for e in events(sr.id) if e.kind is EventKind.REPLY] == ["Solved, thanks."]


def test_flask_mail_receive_exits_0_for_a_refused_mail_and_75_when_the_database_is_down(
    desk, runner, build_app, tmp_path
):
    refused = receive(runner, mail(sender="stranger@elsewhere.example"))
    assert refused.exit_code == 0 and refused.output.startswith("refused")
    down = build_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/inward.db")
    with down.app_context():  # the command runs in the app whose context is current
        result = down.test_cli_runner().invoke(args=["mail", "receive"], input=mail())
    assert result.exit_code == 75


def test_flask_mail_receive_from_a_real_pipe(desk, database_url, tmp_path):
    """`flask mail receive < message.eml`, as Postfix's pipe runs it: a process of its own."""
    db.session.commit()
    message = tmp_path / "message.eml"
    message.write_bytes(mail(subject="Through the pipe"))
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "ATTACHMENT_DIR": str(tmp_path / "files"),
    }
    flask = str(Path(sys.executable).with_name("flask"))
    with message.open("rb") as stdin:
        done = subprocess.run(  # noqa: S603  (the venv's own flask command)
            [flask, "mail", "receive"],
            stdin=stdin,
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
        )
    assert (done.returncode, done.stdout.decode().strip()) == (0, "created IT-1"), done.stderr
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/no/such/dir.db"
    with message.open("rb") as stdin:
        down = subprocess.run(  # noqa: S603  (the venv's own flask command)
            [flask, "mail", "receive"],
            stdin=stdin,
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
        )
    assert down.returncode == 75
