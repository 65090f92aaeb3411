"""One RFC 5322 message as bytes → an InboundMail: who sent it, to whom, the subject, the
text (HTML-only mail as sanitised text), the files, the ids it replies to.

Nothing here trusts the message: headers that do not parse read as empty, a charset that
is unknown or wrong is decoded by the next best guess (never an exception), NUL and other
control characters and bidirectional overrides are removed from every text.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

import nh3

from portal.service_requests.attachments import Upload, clean_filename

MAX_ATTACHMENTS = 20
MAX_ADDRESSES = 10_000  # addresses read from To/Cc (a mail to 5,000 people still parses)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DIRECTION = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTENT_ID_STEM = re.compile(r"[^A-Za-z0-9._-]")
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_BLOCK_END = re.compile(r"(?i)<\s*(br\s*/?|/p|/div|/li|/tr|/h[1-6]|/blockquote)\s*>")
# Charsets whose every byte decodes to something: bytes that are valid UTF-8 are read as
# UTF-8 even when one of these is declared (the commonest wrong declaration).
_LENIENT = {
    codecs.lookup(name).name
    for name in ("ascii", "latin-1", "iso-8859-15", "cp1252", "iso-8859-2", "cp1250")
}


@dataclass
class InboundMail:
    message_key: str
    message_id: str
    sender: str  # lower-cased address, "" when there is none
    sender_name: str
    recipients: list[str]  # envelope first, then To and Cc; lower-cased
    subject: str
    text: str
    files: list[Upload] = field(default_factory=list)
    replies_to: list[str] = field(default_factory=list)  # In-Reply-To, then References
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names, for classifying
    content_type: str = "text/plain"


def clean(value: str) -> str:
    """Text fit to store: no NUL or other control characters (tab and newline kept), no
    bidirectional overrides, newlines as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _DIRECTION.sub("", _CONTROL.sub("", value))


def header(message: Message, name: str) -> str:
    """A header as text, "" when absent or unparsable; encoded words decoded."""
    try:
        value = message.get(name)
    except Exception:  # a malformed header: the parser's own errors vary by header kind
        value = None
    if value is None:
        return ""
    try:
        text = str(value)
        if "=?" in text:
            text = str(make_header(decode_header(text)))
    except Exception:
        text = str(value)
    return clean(" ".join(text.split()))


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Bytes as text by the declared charset, or the best guess when that is unknown or
    wrong: UTF-8 first where the declared one would take anything, then the declared one,
    then UTF-8, then Windows-1252 (which reads any byte)."""
    name = (declared or "").strip().lower()
    try:
        name = codecs.lookup(name).name if name else ""
    except LookupError:
        name = ""
    tries = ["utf-8", name] if (not name or name in _LENIENT) else [name, "utf-8"]
    for charset in [c for c in tries if c]:
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")


def html_to_text(markup: str) -> str:
    """An HTML body as plain text: nh3 (the sanitiser the portal uses) keeps no tag at all
    and drops scripts and styles with their content; entities are then unescaped."""
    markup = _BLOCK_END.sub("\n", markup)
    stripped = nh3.clean(
        markup, tags=set(), clean_content_tags={"script", "style", "head", "title"}
    )
    lines = [" ".join(line.split()) for line in html.unescape(stripped).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str:
    data = part.get_payload(decode=True) or b""
    return decode_bytes(data, part.get_content_charset())


def _is_file(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    return disposition == "attachment" or (
        part.get_content_maintype() != "text" and not part.is_multipart()
    )


def _filename(part: Message, number: int) -> str:
    """The part's own file name; an inline image without one (Outlook's pasted screenshot)
    is named after its Content-ID or its place, with the extension of its type."""
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if name:
        return clean_filename(clean(str(name)))
    stem = _CONTENT_ID_STEM.sub("", str(part.get("Content-ID", "")).strip("<> ").split("@")[0])
    stem = stem[:60] or f"image-{number}"
    extension = mimetypes.guess_extension(part.get_content_type()) or ""
    return clean_filename(stem if stem.lower().endswith(extension) else stem + extension)


def _body_and_files(message: Message) -> tuple[str, list[Upload]]:
    plain: list[str] = []
    markup: list[str] = []
    files: list[Upload] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        if _is_file(part):
            if len(files) < MAX_ATTACHMENTS:
                name = _filename(part, len(files) + 1)
                files.append(Upload(name, part.get_payload(decode=True) or b""))
            continue
        kind = part.get_content_type()
        if kind == "text/html":
            markup.append(_part_text(part))
        elif kind.startswith("text/"):
            plain.append(_part_text(part))
    text = "\n\n".join(plain) if plain else html_to_text("\n".join(markup))
    return clean(text).strip(), files


def message_ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")[:50]


def _addresses(message: Message, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in names:
        try:
            values = [str(v) for v in message.get_all(name) or []]
        except Exception:  # an address header that does not parse names nobody
            values = []
        for _display, address in getaddresses(values):
            address = clean(address).strip().lower()
            if "@" in address and address not in found:
                found.append(address)
            if len(found) >= MAX_ADDRESSES:
                return found
    return found


def message_key(message_id: str, raw: bytes) -> str:
    basis = message_id.strip().lower().encode() if message_id else raw
    return hashlib.sha256(basis).hexdigest()


CLASSIFYING_HEADERS = (
    "auto-submitted",
    "precedence",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "list-id",
    "list-unsubscribe",
    "return-path",
    "x-failed-recipients",
    "x-inward-outbox",
    "x-loop",
)


def parse(raw: bytes, envelope_recipient: str | None = None) -> InboundMail:
    """The message in `raw` (never raises for a malformed message)."""
    message: EmailMessage = message_from_bytes(raw, policy=policy.default)
    ids = message_ids(header(message, "Message-ID"))
    message_id = ids[0] if ids else ""
    name, sender = parseaddr(header(message, "From"))
    envelope = [envelope_recipient.lower()] if envelope_recipient else []
    recipients = envelope + _addresses(
        message, ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
    )
    text, files = _body_and_files(message)
    replies_to = message_ids(header(message, "In-Reply-To")) + message_ids(
        header(message, "References")
    )
    return InboundMail(
        message_key=message_key(message_id, raw),
        message_id=message_id,
        sender=sender.strip().lower() if "@" in sender else "",
        sender_name=name,
        recipients=list(dict.fromkeys(recipients)),
        subject=header(message, "Subject"),
        text=text,
        files=files,
        replies_to=list(dict.fromkeys(replies_to)),
        headers={h: header(message, h) for h in CLASSIFYING_HEADERS},
        content_type=message.get_content_type(),
    )
