"""Sending one outbox message: e-mail over SMTP, or a JSON POST to a webhook.

A sender either returns (delivered) or raises DeliveryError saying whether trying again
can help (`permanent`). The worker (portal.notify.worker) decides what happens next.
Nothing here touches the database.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from typing import Any

from portal.notify.urls import (
    Allowlist,
    Resolver,
    WebhookTarget,
    WebhookUrlError,
    resolve_webhook_target,
)

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


class DeliveryError(Exception):
    """Delivery did not happen. permanent: retrying cannot help (fail the message now)."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Delivery:
    """What the worker claimed: a plain copy of the row, so sending needs no session."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    payload: dict[str, Any] | None
    attempts: int
    created_at: datetime
    topic: str = ""


# ---------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str = ""
    password: str = ""
    starttls: bool = True
    ssl: bool = False
    timeout: float = 20.0
    mail_from: str = "Inward <inward@localhost>"

    @classmethod
    def from_config(cls, config) -> SmtpSettings:
        use_ssl = bool(config.get("SMTP_SSL"))
        return cls(
            host=config.get("SMTP_HOST") or "",
            port=int(config.get("SMTP_PORT") or (465 if use_ssl else 587)),
            username=config.get("SMTP_USERNAME") or "",
            password=config.get("SMTP_PASSWORD") or "",
            starttls=bool(config.get("SMTP_STARTTLS")) and not use_ssl,
            ssl=use_ssl,
            timeout=float(config.get("SMTP_TIMEOUT_SECONDS") or 20),
            mail_from=config.get("MAIL_FROM") or "Inward <inward@localhost>",
        )

    def __repr__(self) -> str:  # never show the password in a traceback or log line
        return f"SmtpSettings(host={self.host!r}, port={self.port}, user={self.username!r})"


def single_line(text: str) -> str:
    """A header value: CR, LF and other control characters become one space, so a
    subject such as "Hi\\r\\nBcc: x@evil" can never add a header."""
    return _CONTROL.sub(" ", text or "").strip()


def build_email(delivery: Delivery, mail_from: str) -> EmailMessage:
    raw = (delivery.recipient or "").strip()
    name, address = parseaddr(raw)
    if _CONTROL.search(raw) or "," in raw or ";" in raw or address.count("@") != 1:
        raise DeliveryError(f"not one e-mail address: {raw[:200]!r}", permanent=True)
    try:
        to = Address(addr_spec=address)
        from_name, from_address = parseaddr(single_line(mail_from))
        sender = Address(display_name=from_name, addr_spec=from_address)
    except (ValueError, IndexError) as error:
        raise DeliveryError(f"bad address: {error}", permanent=True) from None
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = single_line(delivery.subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    # One Message-ID per outbox row, the same on every attempt: were a message ever
    # delivered twice (a worker paused past its lease), mail clients show it once.
    created = delivery.created_at
    stamp = created.strftime("%Y%m%d%H%M%S%f") if created else "0"
    domain = sender.domain or "localhost"
    message["Message-ID"] = f"<outbox-{delivery.id}.{stamp}@{domain}>"
    # RFC 3834: an automatic message; out-of-office replies should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    # Names the outbox row: mail in (portal.mail_in) knows its own e-mails coming back.
    message["X-Inward-Outbox"] = str(delivery.id)
    _thread_headers(message, delivery.payload or {}, domain)
    _unsubscribe_headers(message, delivery.payload or {})
    message.set_content(delivery.body or "", charset="utf-8", cte="quoted-printable")
    html = (delivery.payload or {}).get("html")
    if isinstance(html, str) and html:
        # The text stays first: clients that cannot show HTML read it (templates/email/).
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _thread_headers(message: EmailMessage, payload: dict, domain: str) -> None:
    """Every e-mail about one request names the same thread root in References, so mail
    clients (Outlook, Gmail) show them together; its reply address (signed for this reader,
    portal.notify.reply_address) brings a reply back to the request (portal.mail_in)."""
    thread = payload.get("thread")
    if isinstance(thread, str) and thread:
        message["References"] = f"<request-{single_line(thread)}@{domain}>"
    reply_to = payload.get("reply_to")
    if isinstance(reply_to, str) and reply_to:
        try:
            message["Reply-To"] = Address(addr_spec=single_line(reply_to))
        except (ValueError, IndexError):
            log.warning("reply address %r dropped", reply_to[:200])


def _unsubscribe_headers(message: EmailMessage, payload: dict) -> None:
    """RFC 2369 List-Unsubscribe with RFC 8058 one-click: the mail client POSTs
    `List-Unsubscribe=One-Click` to the signed link (portal.notify.unsubscribe), which
    turns this kind of e-mail off for this reader."""
    link = payload.get("unsubscribe")
    if isinstance(link, str) and link.startswith(("https://", "http://")):
        message["List-Unsubscribe"] = f"<{single_line(link)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """Certificates verified, host names checked. Built once: loading the system CA
    store costs ~25 ms, which per connection halved the e-mails sent per second."""
    return ssl.create_default_context()


def _smtp_permanent(code: int) -> bool:
    return 500 <= code < 600


class SmtpMailer:
    """One SMTP connection, reused for the messages of one batch.

    Errors about the message or its recipient (5xx to RCPT or DATA) are permanent; the
    server being down, busy (4xx), refusing our login or the sender (a configuration
    problem an admin fixes) are temporary, so no e-mail is lost while it is fixed. Once
    the server could not be reached, the rest of the batch is not tried against it."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._connection: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def _scrub(self, text: str) -> str:
        password = self.settings.password
        return text.replace(password, "***") if password else text

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.username and not (s.ssl or s.starttls):
            raise DeliveryError(
                "SMTP_USERNAME is set without SMTP_STARTTLS or SMTP_SSL: "
                "refusing to send the password unencrypted"
            )
        context = tls_context() if (s.ssl or s.starttls) else None
        try:
            if s.ssl:
                connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as error:
            self._unreachable = self._scrub(f"SMTP {s.host}:{s.port} unreachable: {error}")
            raise DeliveryError(self._unreachable) from None
        try:
            if s.starttls:
                connection.starttls(context=context)
            if s.username:
                connection.login(s.username, s.password)
        except (OSError, smtplib.SMTPException) as error:
            connection.close()
            raise DeliveryError(self._scrub(f"SMTP session setup failed: {error}")) from None
        return connection

    def send(self, delivery: Delivery) -> None:
        if self._unreachable:
            raise DeliveryError(self._unreachable)
        message = build_email(delivery, self.settings.mail_from)
        if self._connection is None:
            self._connection = self._connect()
        try:
            refused = self._connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            code, text = next(iter(error.recipients.values()))
            raise DeliveryError(
                self._scrub(f"recipient refused: {code} {_text(text)}"),
                permanent=_smtp_permanent(code),
            ) from None
        except smtplib.SMTPSenderRefused as error:
            self.close()
            raise DeliveryError(
                self._scrub(f"sender refused: {error.smtp_code} {_text(error.smtp_error)}")
            ) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            permanent = _smtp_permanent(error.smtp_code) and isinstance(
                error, smtplib.SMTPDataError
            )
            raise DeliveryError(
                self._scrub(f"SMTP {error.smtp_code} {_text(error.smtp_error)}"),
                permanent=permanent,
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryError(self._scrub(f"SMTP error: {error}")) from None
        if refused:  # only one recipient per message, so this does not happen; be sure
            raise DeliveryError(f"recipient refused: {refused}", permanent=True)

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (OSError, smtplib.SMTPException):
                self._connection.close()
            self._connection = None


class LogMailer:
    """MAIL_BACKEND=log: write the e-mail to the worker's log instead of sending it."""

    def __init__(self, mail_from: str):
        self.mail_from = mail_from

    def send(self, delivery: Delivery) -> None:
        message = build_email(delivery, self.mail_from)
        log.info("e-mail not sent (MAIL_BACKEND=log):\n%s", message.as_string())

    def close(self) -> None:
        pass


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


# ---------------------------------------------------------------- webhooks


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to
    by the time the socket opens (DNS rebinding)."""

    def __init__(self, target: WebhookTarget, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: WebhookTarget, address: str, timeout: float):
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=tls_context(),
        )
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name from the URL.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class WebhookPoster:
    allowlist: Allowlist
    timeout: float = 10.0
    resolver: Resolver | None = None
    user_agent: str = "Inward-notify/1"

    def send(self, delivery: Delivery) -> None:
        try:
            target = resolve_webhook_target(
                delivery.recipient, allowlist=self.allowlist, resolver=self.resolver
            )
        except WebhookUrlError as error:
            raise DeliveryError(f"webhook URL refused: {error}", permanent=True) from None
        except (OSError, UnicodeError) as error:
            raise DeliveryError(f"webhook host not resolved: {error}") from None
        body = json.dumps(delivery.payload or {}, ensure_ascii=False).encode("utf-8")
        host = f"[{target.host}]" if ":" in target.host else target.host  # IPv6 literal
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": self.user_agent,
            "Host": host if target.port in (80, 443) else f"{host}:{target.port}",
        }
        cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        last_error: Exception | None = None
        for address in target.addresses:
            connection = cls(target, address, self.timeout)
            try:
                connection.request("POST", target.path, body=body, headers=headers)
                response = connection.getresponse()
                status = response.status
                text = response.read(2000).decode("utf-8", "replace")
                retry_after = response.getheader("Retry-After")
            except (OSError, http.client.HTTPException) as error:
                last_error = error
                continue
            finally:
                connection.close()
            _raise_for_status(status, text, retry_after)
            return
        raise DeliveryError(f"webhook unreachable: {last_error}")


def _raise_for_status(status: int, text: str, retry_after: str | None) -> None:
    if 200 <= status < 300:
        return
    summary = f"webhook answered {status}: {single_line(text)[:300]}"
    if 300 <= status < 400:
        # Redirects are never followed: the new location has not been checked.
        raise DeliveryError(summary + " (redirect not followed)", permanent=True)
    if status in (408, 429) or status >= 500:
        seconds = None
        if retry_after and retry_after.strip().isdigit():
            seconds = float(retry_after.strip())
        raise DeliveryError(summary, retry_after=seconds)
    raise DeliveryError(summary, permanent=True)
