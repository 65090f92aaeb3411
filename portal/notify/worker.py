"""`flask notify run`: deliver due outbox messages, each exactly once, with retries.

How a message goes out once although several workers (on several hosts) run at once:

1. claim: ONE statement marks a batch of due rows as ours until a lease ends,
       WITH claimable AS MATERIALIZED (SELECT id ... due ... ORDER BY next_attempt_at
                                       LIMIT :n FOR UPDATE SKIP LOCKED)
       UPDATE outbox_message SET claimed_by = :token, claimed_until = :now + lease,
                                 attempts = attempts + 1
       WHERE id IN (SELECT id FROM claimable) AND ...still due...
       RETURNING ...
   and commits at once. PostgreSQL locks the rows it picks and skips rows another worker
   is claiming; SQLite (no FOR UPDATE; SQLAlchemy leaves it out) runs the statement under
   its single write lock. Either way a row is claimed by one worker, with the same code.
2. send, outside any transaction (nothing is held open while the network is slow);
   before each send the worker checks that its lease has time left for the longest send,
   and gives the rest of the batch back otherwise, so a lease never runs out mid-send.
3. finish: UPDATE ... WHERE id = :id AND claimed_by = :token, in its own transaction.

A worker that dies after claiming leaves rows whose lease expires; another worker
takes them over (attempts counts that try too, so a message that kills workers ends
FAILED instead of looping). The remaining gap, a worker frozen (suspended VM) past its
lease in the middle of an SMTP conversation, is why e-mails carry a stable Message-ID.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import and_, func, or_, select, update

from portal.core import clock
from portal.extensions import db
from portal.models import OutboxChannel, OutboxMessage, OutboxStatus
from portal.models._time import utcnow
from portal.notify import mail_choices
from portal.notify.delivery import (
    Delivery,
    DeliveryError,
    LogMailer,
    SmtpMailer,
    SmtpSettings,
    WebhookPoster,
)
from portal.notify.urls import Allowlist

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_table = OutboxMessage.__table__
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits base * 2**(n-1), at most `cap`,
    times a random factor in [0.5, 1) so that messages that failed together (the SMTP
    server went down) do not all come back in the same second."""

    max_attempts: int = 15
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        raw = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        return timedelta(seconds=raw * (0.5 + 0.5 * rng.random()))

    @classmethod
    def from_config(cls, config) -> RetryPolicy:
        return cls(
            max_attempts=int(config.get("NOTIFY_MAX_ATTEMPTS", 15)),
            base_seconds=float(config.get("NOTIFY_RETRY_BASE_SECONDS", 30)),
            cap_seconds=float(config.get("NOTIFY_RETRY_MAX_SECONDS", 3600)),
        )


@dataclass
class RunSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    lost: int = 0  # finished after another worker had taken the claim over
    skipped: int = 0  # e-mails of a kind their reader turned off
    errors: list[str] = field(default_factory=list)

    def add(self, other: RunSummary) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released
        self.lost += other.lost
        self.skipped += other.skipped
        self.errors.extend(other.errors)

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retrying {self.retried}, failed {self.failed}"
            + (f", given back {self.released}" if self.released else "")
            + (f", lost claims {self.lost}" if self.lost else "")
            + (f", skipped {self.skipped} (turned off)" if self.skipped else "")
        )


class MailConfigurationError(RuntimeError):
    pass


def mailer_factory(config) -> Callable[[], SmtpMailer | LogMailer]:
    """SMTP when SMTP_HOST is set; MAIL_BACKEND=log only logs (development default).
    Production without SMTP_HOST refuses: e-mails would otherwise be marked sent unsent."""
    backend = (config.get("MAIL_BACKEND") or "").strip().lower()
    settings = SmtpSettings.from_config(config)
    if not backend:
        if settings.host:
            backend = "smtp"
        elif config.get("NOTIFY_REQUIRE_SMTP"):
            raise MailConfigurationError(
                "SMTP_HOST is not set, so e-mail cannot be delivered. Set SMTP_HOST "
                "(and SMTP_PORT, MAIL_FROM, ...), or MAIL_BACKEND=log to only log e-mails."
            )
        else:
            backend = "log"
    if backend == "log":
        return lambda: LogMailer(settings.mail_from)
    if backend != "smtp":
        raise MailConfigurationError(f"MAIL_BACKEND must be smtp or log, not {backend!r}")
    if not settings.host:
        raise MailConfigurationError("MAIL_BACKEND=smtp needs SMTP_HOST.")
    return lambda: SmtpMailer(settings)


def _aware(value: datetime | None) -> datetime | None:
    return clock.aware(value) if value is not None else None


class Worker:
    def __init__(
        self,
        app: Flask,
        *,
        name: str | None = None,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
        mailer: Callable[[], SmtpMailer | LogMailer] | None = None,
        webhook: WebhookPoster | None = None,
    ):
        config = app.config
        self.app = app
        self.name = (name or f"{socket.gethostname()}:{os.getpid()}")[:80]
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311  (jitter, not a secret)
        self.retry = RetryPolicy.from_config(config)
        self.batch_size = int(config.get("NOTIFY_BATCH_SIZE", 20))
        self.lease = timedelta(seconds=float(config.get("NOTIFY_LEASE_SECONDS", 600)))
        self.new_mailer = mailer or mailer_factory(config)
        self.webhook = webhook or WebhookPoster(
            Allowlist.parse(config.get("WEBHOOK_ALLOWLIST", "")),
            timeout=float(config.get("WEBHOOK_TIMEOUT_SECONDS", 10)),
        )
        # The longest one send may take: an SMTP conversation is a handful of round trips,
        # each bounded by the socket timeout. A send starts only with this much lease left.
        smtp_timeout = float(config.get("SMTP_TIMEOUT_SECONDS", 20))
        self.send_budget = timedelta(seconds=max(8 * smtp_timeout, 4 * self.webhook.timeout))
        if self.send_budget >= self.lease:
            raise ValueError("NOTIFY_LEASE_SECONDS must be longer than the longest send")

    # -- one pass ---------------------------------------------------------------

    def run_once(self, now: datetime | None = None) -> RunSummary:
        """Deliver everything due (at `now`, default the clock) and return what happened."""
        clock = self.clock if now is None else (lambda: now)
        summary = RunSummary()
        with self.app.app_context():
            while True:
                batch = self.claim(clock())
                if not batch:
                    break
                summary.add(self._deliver_batch(batch, clock))
                if len(batch[2]) < self.batch_size:  # that was the last of what is due
                    break
        return summary

    def claim(self, now: datetime) -> tuple[str, datetime, list[Delivery]] | None:
        token = f"{self.name}/{uuid.uuid4().hex[:12]}"
        until = now + self.lease
        due = and_(
            _table.c.status == OutboxStatus.PENDING,
            _table.c.next_attempt_at <= now,
            or_(_table.c.claimed_until.is_(None), _table.c.claimed_until <= now),
        )
        candidates = (
            select(_table.c.id)
            .where(due)
            .order_by(_table.c.next_attempt_at, _table.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)
            # A materialized CTE runs once. As a plain `IN (subquery)` PostgreSQL may
            # re-run the SKIP LOCKED subquery per row and claim far more than the LIMIT.
            .cte("claimable")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        statement = (
            update(_table)
            .where(_table.c.id.in_(select(candidates.c.id)), due)
            .values(claimed_by=token, claimed_until=until, attempts=_table.c.attempts + 1)
            .returning(
                _table.c.id,
                _table.c.channel,
                _table.c.recipient,
                _table.c.subject,
                _table.c.body,
                _table.c.payload,
                _table.c.attempts,
                _table.c.created_at,
                _table.c.topic,
            )
        )
        with db.engine.begin() as connection:
            rows = connection.execute(statement).all()
        if not rows:
            return None
        deliveries = [
            Delivery(
                id=row.id,
                channel=str(row.channel),
                recipient=row.recipient,
                subject=row.subject,
                body=row.body,
                payload=row.payload,
                attempts=row.attempts,
                created_at=_aware(row.created_at),
                topic=row.topic or "",
            )
            for row in sorted(rows, key=lambda r: r.id)
        ]
        return token, until, deliveries

    def _deliver_batch(self, batch, clock: Clock) -> RunSummary:
        token, until, deliveries = batch
        summary = RunSummary()
        deliveries, turned_off = mail_choices.sort_out(deliveries)
        db.session.rollback()  # the read above holds nothing open while sending
        mailer = None
        try:
            for index, delivery in enumerate(deliveries):
                if until - self.clock() < self.send_budget:
                    summary.released += self._release(token, deliveries[index:])
                    break
                if delivery.id in turned_off:
                    self._finish_skipped(token, delivery, clock(), summary)
                    continue
                if delivery.attempts > self.retry.max_attempts:
                    # Claimed this often without an outcome: workers died on it.
                    self._finish_failed(
                        token,
                        delivery,
                        "gave up: no outcome after the last attempt",
                        clock(),
                        summary,
                    )
                    continue
                try:
                    if delivery.channel == OutboxChannel.EMAIL:
                        mailer = mailer or self.new_mailer()
                        mailer.send(delivery)
                    elif delivery.channel == OutboxChannel.WEBHOOK:
                        self.webhook.send(delivery)
                    else:
                        raise DeliveryError(f"unknown channel {delivery.channel}", permanent=True)
                except DeliveryError as error:
                    self._finish_error(token, delivery, error, clock(), summary)
                except Exception as error:  # a bug must not stop the other messages
                    log.exception("notify: delivering message %s crashed", delivery.id)
                    self._finish_error(
                        token,
                        delivery,
                        DeliveryError(f"{type(error).__name__}: {error}"),
                        clock(),
                        summary,
                    )
                else:
                    self._finish_sent(token, delivery, clock(), summary)
        finally:
            if mailer is not None:
                mailer.close()
        return summary

    # -- outcomes ---------------------------------------------------------------

    def _finish(self, token: str, delivery: Delivery, values: dict) -> bool:
        statement = (
            update(_table)
            .where(
                _table.c.id == delivery.id,
                _table.c.claimed_by == token,
                _table.c.status == OutboxStatus.PENDING,
            )
            .values(claimed_until=None, **values)
        )
        with db.engine.begin() as connection:
            done = connection.execute(statement).rowcount == 1
        if not done:
            log.warning("notify: message %s was taken over before it finished", delivery.id)
        return done

    def _finish_sent(self, token, delivery, now, summary) -> None:
        if self._finish(
            token,
            delivery,
            {"status": OutboxStatus.SENT, "sent_at": now, "last_error": None},
        ):
            summary.sent += 1
        else:
            summary.lost += 1

    def _finish_skipped(self, token, delivery, now, summary) -> None:
        if self._finish(token, delivery, {"status": OutboxStatus.SKIPPED, "last_error": None}):
            summary.skipped += 1
        else:
            summary.lost += 1

    def _finish_failed(self, token, delivery, error: str, now, summary) -> None:
        error = f"{now:%Y-%m-%d %H:%M:%S}Z attempt {delivery.attempts}: {error}"[:MAX_ERROR_CHARS]
        if self._finish(token, delivery, {"status": OutboxStatus.FAILED, "last_error": error}):
            summary.failed += 1
            summary.errors.append(f"#{delivery.id} failed: {error}")
            log.warning("notify: message %s failed for good: %s", delivery.id, error)
        else:
            summary.lost += 1

    def _finish_error(self, token, delivery, error: DeliveryError, now, summary) -> None:
        if error.permanent or delivery.attempts >= self.retry.max_attempts:
            self._finish_failed(token, delivery, str(error), now, summary)
            return
        delay = self.retry.delay(delivery.attempts, self.rng)
        if error.retry_after is not None:  # the receiver asked for a pause (429/503)
            delay = max(delay, timedelta(seconds=min(error.retry_after, self.retry.cap_seconds)))
        text = f"{now:%Y-%m-%d %H:%M:%S}Z attempt {delivery.attempts}: {error}"[:MAX_ERROR_CHARS]
        if self._finish(token, delivery, {"next_attempt_at": now + delay, "last_error": text}):
            summary.retried += 1
            summary.errors.append(f"#{delivery.id} retry: {text}")
            log.info(
                "notify: message %s will be retried at %s: %s",
                delivery.id,
                now + delay,
                error,
            )
        else:
            summary.lost += 1

    def _release(self, token: str, deliveries: list[Delivery]) -> int:
        """Give claimed but untried messages back at once (the attempt did not happen)."""
        ids = [d.id for d in deliveries]
        statement = (
            update(_table)
            .where(_table.c.id.in_(ids), _table.c.claimed_by == token)
            .values(claimed_until=None, attempts=_table.c.attempts - 1)
        )
        with db.engine.begin() as connection:
            return connection.execute(statement).rowcount

    # -- continuous -------------------------------------------------------------

    def run_forever(self, poll_seconds: float, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        log.info("notify worker %s polling every %ss", self.name, poll_seconds)
        while not stop.is_set():
            try:
                summary = self.run_once()
                if summary.sent or summary.retried or summary.failed or summary.skipped:
                    log.info("notify: %s", summary)
            except Exception:  # the database restarting must not end the worker
                log.exception("notify: pass failed; trying again after the poll interval")
            stop.wait(poll_seconds)


def status_report(app: Flask, last_errors: int = 10) -> str:
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        now = utcnow()
        due = db.session.scalar(
            select(func.count()).where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
        )
        recent = db.session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.status,
                OutboxMessage.channel,
                OutboxMessage.topic,
                OutboxMessage.attempts,
                OutboxMessage.last_error,
            )
            .where(OutboxMessage.last_error.is_not(None))
            .order_by(OutboxMessage.id.desc())
            .limit(last_errors)
        ).all()
        db.session.rollback()
    lines = [
        " ".join(f"{status.value}: {counts.get(status, 0)}" for status in OutboxStatus)
        + f" (due now: {due})"
    ]
    if recent:
        lines.append("last errors:")
        for row in recent:
            lines.append(
                f"  #{row.id} {row.status.value} {row.channel.value} {row.topic} "
                f"attempts {row.attempts}: {row.last_error}"
            )
    return "\n".join(lines)
