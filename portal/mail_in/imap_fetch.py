"""`flask mail fetch`: poll IMAP folders with imap-tools (pinned in requirements.txt).

Each new message (UID above the folder's cursor) is read whole without marking it seen,
taken (portal.mail_in.taking), then moved to the done folder; the cursor moves past it.
Several hosts may poll the same folder at once: a message both read is taken once (the
inbound_message key), the second move finds nothing to move, and the cursor only grows.
A message whose taking failed for a reason that may pass (the database is down) stays in
the folder and the cursor stops before it, so the next poll tries again.
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import UnexpectedCommandStatusError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.database import write_transaction
from portal.extensions import db
from portal.mail_in.records import Outcome
from portal.models import ImapCursor

log = logging.getLogger(__name__)
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ImapSource:
    host: str
    port: int
    username: str
    password: str
    folder: str
    security: str  # "tls", "starttls" or "plain"

    @classmethod
    def from_url(cls, url: str) -> ImapSource:
        """imaps://user:password@host:993/INBOX, imap://…?starttls=1, imap://… (plain)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise ValueError("an IMAP mailbox is imaps://user:password@host/FOLDER")
        starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        security = "tls" if parts.scheme == "imaps" else ("starttls" if starttls else "plain")
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if security == "tls" else 143),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            security=security,
        )

    @property
    def name(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"[:300]

    def __repr__(self) -> str:  # never the password
        return f"ImapSource({self.name!r}, {self.security})"


@dataclass
class FetchSummary:
    taken: int = 0
    duplicates: int = 0
    left: int = 0  # left in the folder for the next poll


def connect(source: ImapSource, timeout: float) -> BaseMailBox:
    context = ssl.create_default_context()
    if source.security == "tls":
        box = MailBox(source.host, source.port, timeout=timeout, ssl_context=context)
    elif source.security == "starttls":
        box = MailBoxStartTls(source.host, source.port, timeout=timeout, ssl_context=context)
    else:
        box = MailBoxUnencrypted(source.host, source.port, timeout=timeout)
    try:
        return box.login(source.username, source.password, initial_folder=source.folder)
    except Exception:
        box.client.shutdown()  # a refused login leaves the socket open otherwise
        raise


def _cursor(source: ImapSource, uid_validity: int) -> int:
    row = db.session.scalar(select(ImapCursor).where(ImapCursor.source == source.name))
    db.session.rollback()
    if row is None or row.uid_validity != uid_validity:
        return 0
    return row.last_uid


def _advance(source: ImapSource, uid_validity: int, uid: int) -> None:
    """The cursor moves forward only (another host may have moved it further)."""
    try:
        with write_transaction():
            row = db.session.scalar(select(ImapCursor).where(ImapCursor.source == source.name))
            if row is None:
                db.session.add(
                    ImapCursor(source=source.name, uid_validity=uid_validity, last_uid=uid)
                )
            elif row.uid_validity != uid_validity:
                row.uid_validity, row.last_uid = uid_validity, uid
            elif row.last_uid < uid:
                row.last_uid = uid
    except IntegrityError:  # another host made the row meanwhile: move it on next time
        pass


def _ensure_folder(box: BaseMailBox, folder: str) -> None:
    if not box.folder.exists(folder):
        try:
            box.folder.create(folder)
        except Exception:  # created by another host meanwhile: imap-tools raises its own kinds
            if not box.folder.exists(folder):
                raise


def _read(box: BaseMailBox, uid: str, limit: int) -> tuple[bytes, int]:
    """(the message, or its head when it is bigger than `limit`; its whole size)."""
    _typ, data = box.client.uid("FETCH", uid, "(RFC822.SIZE)")
    match = _SIZE.search(data[0] if data and isinstance(data[0], bytes) else b"")
    size = int(match.group(1)) if match else 0
    part = "BODY.PEEK[HEADER]" if size > limit else "BODY.PEEK[]"
    _typ, data = box.client.uid("FETCH", uid, f"({part})")
    raw = next((item[1] for item in data if isinstance(item, tuple)), b"")
    return raw, size


def _move(box: BaseMailBox, uid: str, folder: str) -> None:
    """Move a handled message away; one another host moved first is already gone."""
    try:
        box.move(uid, folder)
    except UnexpectedCommandStatusError as error:
        log.info("mail %s not moved (moved by another host?): %s", uid, error)


def fetch_folder(
    source: ImapSource,
    take: Callable[[bytes, int], Outcome],
    *,
    done_folder: str,
    limit: int,
    timeout: float,
) -> FetchSummary:
    summary = FetchSummary()
    with connect(source, timeout) as box:
        _ensure_folder(box, done_folder)
        status = box.folder.status(source.folder, ["UIDVALIDITY"])
        uid_validity = int(status.get("UIDVALIDITY", 0))
        start = _cursor(source, uid_validity) + 1
        uids = [u for u in box.uids(f"UID {start}:*") if int(u) >= start]
        for uid in sorted(uids, key=int):
            raw, size = _read(box, uid, limit)
            if not raw:  # moved away by another host meanwhile
                continue
            try:
                outcome = take(raw, size)
            except Exception:
                log.exception("mail %s in %s not taken; left for the next poll", uid, source)
                summary.left += len(uids) - summary.taken - summary.duplicates
                break
            if outcome.duplicate:
                summary.duplicates += 1
            else:
                summary.taken += 1
            _move(box, uid, done_folder)
            _advance(source, uid_validity, int(uid))
    return summary
