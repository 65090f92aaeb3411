"""flask notify run: delivery over a real SMTP server and a real HTTP receiver on
127.0.0.1, exactly once with racing workers, retries with backoff, the SSRF rule."""

from __future__ import annotations

import logging
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import OutboxMessage, OutboxStatus
from portal.notify import outbox
from portal.notify.delivery import SmtpSettings
from portal.notify.urls import Allowlist
from portal.notify.worker import MailConfigurationError, RetryPolicy, Worker, mailer_factory
from tests.notify_servers import HttpReceiver

# The workers' "now": a day after the real clock, because messages are enqueued at the real
# now and only become due then (a fixed date here went stale within a week, and "the next
# hour" went stale during a long run).
T0 = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)


@pytest.fixture
def receiver():
    server = HttpReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def make_worker(build_app, smtp):
    """make_worker(**settings): a worker on its own app (as on another host)."""

    def _make(name="w1", **settings):
        defaults = dict(
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=smtp.port,
            SMTP_STARTTLS=False,
            SMTP_TIMEOUT_SECONDS=2,
            MAIL_FROM="Inward <inward@example.org>",
            WEBHOOK_ALLOWLIST="127.0.0.1",
            WEBHOOK_TIMEOUT_SECONDS=2,
            NOTIFY_BATCH_SIZE=5,
        )
        defaults.update(settings)
        return Worker(build_app(**defaults), name=name, rng=random.Random(7))

    return _make


def enqueue_emails(n: int, **kw) -> list[int]:
    ids = []
    for i in range(n):
        message = outbox.enqueue_email(
            f"person{i}@example.org", kw.get("subject", f"Request {i}"), "Body", topic="t"
        )
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    return ids


def rows() -> list[OutboxMessage]:
    db.session.rollback()  # a fresh transaction sees what the workers committed
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---------------------------------------------------------------- e-mail


def test_an_email_arrives_as_utf8_mime_with_a_stable_message_id(app, make_worker, smtp):
    outbox.enqueue_email(
        "erin@example.org",
        "Ihre Anfrage IT-1042: Grüße ✓",
        "Hallo Erin,\nnaïve café ✓\n",
        topic="t",
    )
    db.session.commit()
    summary = make_worker().run_once()
    assert summary.sent == 1
    [(mail_from, rcpts, message)] = smtp.messages
    assert mail_from == "inward@example.org" and rcpts == ["erin@example.org"]
    assert message["Subject"] == "Ihre Anfrage IT-1042: Grüße ✓"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == "Hallo Erin,\nnaïve café ✓\n"
    [row] = rows()
    assert message["Message-ID"].startswith(f"<outbox-{row.id}.")
    assert message["Auto-Submitted"] == "auto-generated"
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_one_pass_delivers_everything_due_batch_after_batch(app, make_worker, smtp):
    enqueue_emails(12)
    assert make_worker(NOTIFY_BATCH_SIZE=5).run_once().sent == 12
    assert len(smtp.messages) == 12


def test_a_subject_cannot_inject_headers_or_recipients(app, make_worker, smtp):
    outbox.enqueue_email(
        "erin@example.org",
        "Hi\r\nBcc: mallory@evil.example\r\n\r\nforged body",
        "real body",
        topic="t",
    )
    db.session.commit()
    make_worker().run_once()
    [(_, rcpts, message)] = smtp.messages
    assert rcpts == ["erin@example.org"]
    assert message["Bcc"] is None
    assert message["Subject"] == "Hi Bcc: mallory@evil.example forged body"
    assert message.get_content().strip() == "real body"


@pytest.mark.parametrize(
    "recipient",
    ["erin@example.org\r\nBcc: m@evil.example", "a@example.org, m@evil.example", "not-an-address"],
)
def test_a_bad_recipient_fails_at_once_and_nothing_is_sent(app, make_worker, smtp, recipient):
    outbox.enqueue_email(recipient, "Hi", "Body", topic="t")
    db.session.commit()
    make_worker().run_once()
    [row] = rows()
    assert smtp.messages == []
    assert row.status == OutboxStatus.FAILED and row.attempts == 1


def test_a_5xx_recipient_refusal_is_permanent_and_a_4xx_is_retried(app, make_worker, smtp):
    enqueue_emails(1)
    smtp.handler.rcpt_reply = "550 5.1.1 No such user"
    make_worker().run_once(now=T0)
    [row] = rows()
    assert row.status == OutboxStatus.FAILED and "550" in row.last_error

    db.session.delete(row)
    db.session.commit()
    enqueue_emails(1)
    smtp.handler.rcpt_reply = "451 4.3.0 Try again later"
    make_worker().run_once(now=T0)
    [row] = rows()
    assert row.status == OutboxStatus.PENDING and "451" in row.last_error
    assert aware(row.next_attempt_at) > T0


def test_retries_back_off_exponentially_with_jitter_then_fail_and_keep_the_error(
    app, make_worker, smtp
):
    smtp.stop()  # nothing listens: connection refused every time
    [message_id] = enqueue_emails(1)
    worker = make_worker(NOTIFY_MAX_ATTEMPTS=4, NOTIFY_RETRY_BASE_SECONDS=30)
    now, waits = T0, []
    for _ in range(3):
        assert worker.run_once(now=now).retried == 1
        [row] = rows()
        waits.append((aware(row.next_attempt_at) - now).total_seconds())
        assert worker.run_once(now=aware(row.next_attempt_at) - timedelta(seconds=1)).retried == 0
        now = aware(row.next_attempt_at)
    # attempt n waits 30 * 2**(n-1) seconds times a jitter factor in [0.5, 1)
    for n, wait in enumerate(waits, start=1):
        assert 15 * 2 ** (n - 1) <= wait < 30 * 2 ** (n - 1)
    assert len(set(w / 2**n for n, w in enumerate(waits))) > 1  # jittered, not a fixed factor
    assert worker.run_once(now=now).failed == 1
    [row] = rows()
    assert row.id == message_id and row.status == OutboxStatus.FAILED and row.attempts == 4
    assert "unreachable" in row.last_error and "attempt 4" in row.last_error


def test_the_retry_delay_is_capped():
    policy = RetryPolicy(max_attempts=30, base_seconds=30, cap_seconds=3600)
    rng = random.Random(1)
    assert all(policy.delay(n, rng) < timedelta(hours=1) for n in range(1, 30))
    assert policy.delay(20, rng) >= timedelta(minutes=30)


def test_an_smtp_server_down_for_a_minute_loses_no_email(app, make_worker, smtp):
    """The Done-when, with an injected clock instead of a real minute."""
    smtp.stop()
    ids = enqueue_emails(25)
    worker = make_worker(NOTIFY_RETRY_BASE_SECONDS=10)
    now = T0
    while now < T0 + timedelta(minutes=1):  # down: every due message is tried and rescheduled
        summary = worker.run_once(now=now)
        assert summary.sent == 0
        now += timedelta(seconds=5)
    assert all(r.status == OutboxStatus.PENDING and r.attempts >= 2 for r in rows())
    smtp.start()  # back, on the same port
    while now < T0 + timedelta(minutes=10):
        worker.run_once(now=now)
        now += timedelta(seconds=5)
    assert [r.status for r in rows()] == [OutboxStatus.SENT] * 25
    recipients = sorted(rcpts[0] for _, rcpts, _ in smtp.messages)
    assert recipients == sorted(f"person{i}@example.org" for i in range(25))
    assert len({m["Message-ID"] for _, _, m in smtp.messages}) == len(ids) == 25


def test_two_workers_racing_send_each_message_exactly_once(app, make_worker, smtp):
    enqueue_emails(120)
    smtp.handler.delay = 0.003
    workers = [make_worker(name=f"w{i}", NOTIFY_BATCH_SIZE=3) for i in range(3)]
    for worker in workers:  # connect before the start line, so all start together
        with worker.app.app_context():
            db.engine.connect().close()
    claimed_sizes = []
    for worker in workers:

        def recording_claim(now, _claim=worker.claim):
            batch = _claim(now)
            claimed_sizes.append(len(batch[2]) if batch else 0)
            return batch

        worker.claim = recording_claim
    barrier = threading.Barrier(len(workers))
    results, errors = [], []

    def race(worker):
        try:
            barrier.wait(timeout=5)
            results.append(worker.run_once())
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=race, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(r.sent for r in results) == 120
    assert sum(1 for r in results if r.sent) >= 2, "the workers did not actually share the work"
    assert max(claimed_sizes) == 3  # a claim never takes more than its batch
    assert len(smtp.messages) == 120
    assert len({m["Message-ID"] for _, _, m in smtp.messages}) == 120
    assert all(r.status == OutboxStatus.SENT and r.attempts == 1 for r in rows())


def test_a_crashed_workers_claim_expires_and_another_takes_over(app, make_worker, smtp):
    enqueue_emails(2)
    crashed = make_worker(name="crashed", NOTIFY_LEASE_SECONDS=600)
    token, until, claimed = crashed.claim(T0)  # ...and never finishes
    assert len(claimed) == 2 and until == T0 + timedelta(seconds=600)
    other = make_worker(name="other")
    assert other.run_once(now=T0 + timedelta(seconds=599)).sent == 0
    assert other.run_once(now=T0 + timedelta(seconds=600)).sent == 2
    assert len(smtp.messages) == 2
    assert all(r.attempts == 2 and r.claimed_by.startswith("other/") for r in rows())
    # the crashed worker waking up cannot mark them again
    assert crashed._finish(token, claimed[0], {"status": OutboxStatus.FAILED}) is False


def test_a_worker_gives_back_what_its_lease_cannot_cover(app, make_worker, smtp):
    enqueue_emails(3)
    ticks = iter([T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=590)])
    worker = make_worker(NOTIFY_LEASE_SECONDS=600)
    worker.clock = lambda: next(ticks, T0 + timedelta(seconds=590))
    summary = worker.run_once()
    assert summary.sent == 1 and summary.released == 2
    assert [r.status for r in rows()] == [
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
        OutboxStatus.PENDING,
    ]
    assert [r.attempts for r in rows()] == [1, 0, 0]


def test_postgresql_skips_rows_another_worker_has_locked(app, make_worker, smtp):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's")
    first, second = enqueue_emails(2)
    with db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '2s'"))
        other.execute(text(f"SELECT id FROM outbox_message WHERE id = {first} FOR UPDATE"))  # noqa: S608
        summary = make_worker().run_once()
        other.rollback()
    assert summary.sent == 1
    assert [r.status for r in rows()] == [OutboxStatus.PENDING, OutboxStatus.SENT]


def test_the_smtp_password_never_reaches_errors_or_logs(app, make_worker, smtp, caplog):
    enqueue_emails(1)
    caplog.set_level(logging.DEBUG)
    worker = make_worker(SMTP_USERNAME="notify", SMTP_PASSWORD="s3cret-Pa55")
    worker.run_once(now=T0)
    [row] = rows()
    assert row.status == OutboxStatus.PENDING  # a configuration problem: kept for later
    assert "unencrypted" in row.last_error
    assert "s3cret-Pa55" not in row.last_error and "s3cret-Pa55" not in caplog.text
    assert "s3cret" not in repr(SmtpSettings.from_config(worker.app.config))


def test_production_without_smtp_host_refuses_instead_of_dropping_mail():
    with pytest.raises(MailConfigurationError):
        mailer_factory({"NOTIFY_REQUIRE_SMTP": True, "SMTP_HOST": ""})
    assert mailer_factory({"MAIL_BACKEND": "log"})().__class__.__name__ == "LogMailer"


def test_flask_notify_run_once_and_status(app, runner):
    enqueue_emails(2)  # TestConfig has no SMTP_HOST: the log backend
    outbox.enqueue_webhook("https://10.0.0.1/hook", {"text": "x"}, topic="t")
    db.session.commit()
    result = runner.invoke(args=["notify", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output and "failed 1" in result.output
    result = runner.invoke(args=["notify", "status"])
    assert "pending: 0 sent: 2 failed: 1" in result.output
    assert "non-public address" in result.output


# ---------------------------------------------------------------- webhooks


def test_a_webhook_is_posted_as_json(app, make_worker, receiver):
    outbox.enqueue_webhook(receiver.url("/hooks/it"), {"text": "IT-1042 is new ✓"}, topic="t")
    db.session.commit()
    assert make_worker().run_once().sent == 1
    [request] = receiver.requests
    assert request["path"] == "/hooks/it" and request["json"] == {"text": "IT-1042 is new ✓"}
    assert request["headers"]["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (400, OutboxStatus.FAILED),
        (404, OutboxStatus.FAILED),
        (302, OutboxStatus.FAILED),
        (408, OutboxStatus.PENDING),
        (429, OutboxStatus.PENDING),
        (500, OutboxStatus.PENDING),
        (503, OutboxStatus.PENDING),
    ],
)
def test_webhook_4xx_fail_fast_and_408_429_5xx_retry(app, make_worker, receiver, status, outcome):
    receiver.replies = [(status, {"Location": "http://127.0.0.1:1/elsewhere"})]
    outbox.enqueue_webhook(receiver.url(), {"text": "x"}, topic="t")
    db.session.commit()
    make_worker().run_once(now=T0)
    [row] = rows()
    assert row.status == outcome and str(status) in row.last_error
    assert len(receiver.requests) == 1  # a redirect is not followed


def test_retry_after_is_honoured(app, make_worker, receiver):
    receiver.replies = [(429, {"Retry-After": "900"})]
    outbox.enqueue_webhook(receiver.url(), {"text": "x"}, topic="t")
    db.session.commit()
    make_worker().run_once(now=T0)
    [row] = rows()
    assert aware(row.next_attempt_at) >= T0 + timedelta(seconds=900)


def test_delivery_connects_to_the_checked_address_and_refuses_a_rebound_name(
    app, make_worker, receiver
):
    answers = {"hooks.example.test": ["127.0.0.1"]}
    worker = make_worker(WEBHOOK_ALLOWLIST="127.0.0.1/32")
    worker.webhook.resolver = lambda host, port: answers[host]
    outbox.enqueue_webhook(f"http://hooks.example.test:{receiver.port}/x", {"text": "1"}, topic="t")
    db.session.commit()
    assert worker.run_once(now=T0).sent == 1
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.example.test:{receiver.port}"

    # the same name now points to loopback, which is not allow-listed for this worker
    worker.webhook.allowlist = Allowlist.parse("")
    outbox.enqueue_webhook(
        f"https://hooks.example.test:{receiver.port}/x", {"text": "2"}, topic="t"
    )
    db.session.commit()
    assert worker.run_once(now=T0).failed == 1
    assert len(receiver.requests) == 1
    assert "non-public" in rows()[-1].last_error


def test_a_message_that_outlived_its_attempts_through_crashes_fails_unsent(app, make_worker, smtp):
    [message_id] = enqueue_emails(1)
    db.session.get(OutboxMessage, message_id).attempts = 3  # three workers died on it
    db.session.commit()
    summary = make_worker(NOTIFY_MAX_ATTEMPTS=3).run_once(now=T0)
    assert summary.failed == 1 and smtp.messages == []
    [row] = rows()
    assert row.status == OutboxStatus.FAILED and "no outcome" in row.last_error


def test_the_continuous_worker_delivers_and_stops_when_told(app, make_worker, smtp):
    worker = make_worker()
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(0.05, stop))
    thread.start()
    try:
        enqueue_emails(3)
        for _ in range(100):  # at most 5 s
            if len(smtp.messages) == 3:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(smtp.messages) == 3
