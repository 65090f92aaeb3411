"""Inbound mail for the mail-in tests and bench: build one as bytes, as a client would send."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

_seq = itertools.count(1)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def mail(
    *,
    sender: str = "Erin Requester <erin@example.com>",
    to: str = "it-help@example.com",
    subject: str = "The printer on floor 2 is jammed",
    text: str | None = "It jams on every page.\n\nErin",
    html: str | None = None,
    files: tuple[tuple[str, str, bytes], ...] = (),
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> bytes:
    """One message; files are (filename, content type, bytes)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id or f"<m{next(_seq)}.{id(message)}@client.example.com>"
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for filename, kind, data in files:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP)


def reply_to(original, *, sender: str, text: str, headers: dict[str, str] | None = None) -> bytes:
    """A reply to `original` (an email.message.Message the portal sent), with the history
    quoted below as mail clients do, sent to its Reply-To."""
    quoted = "\n".join(
        f"> {line}" for line in original.get_body(("plain",)).get_content().splitlines()
    )
    body = f"{text}\n\nOn Mon, 7 Dec 2026 at 09:00, Inward <inward@example.org> wrote:\n{quoted}\n"
    refs = " ".join(
        filter(None, [str(original.get("References", "")), str(original["Message-ID"])])
    )
    return mail(
        sender=sender,
        to=str(original["Reply-To"]),
        subject=f"Re: {original['Subject']}",
        text=body,
        headers={"In-Reply-To": str(original["Message-ID"]), "References": refs, **(headers or {})},
    )
