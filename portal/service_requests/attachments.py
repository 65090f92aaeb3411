"""Request attachments: checked on their content, stored outside static/ under random
names, served only to people who may see the request."""

from __future__ import annotations

import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import filetype
from flask import current_app

from portal.extensions import db
from portal.models import EventKind, RequestAttachment, RequestEvent, ServiceRequest, User

# What a request may carry, by the type its content shows (not its name or its header).
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "text/plain": "text file",
}
ALLOWED_WORDS = "PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint or plain text"


class AttachmentError(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C",))
    name = name.strip(" .")[:150]
    return name or "attachment"


def sniff(data: bytes) -> str | None:
    """The content's real type, if it is one we take."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip":
            return None
        return mime if mime in ALLOWED_TYPES else None
    # Plain text has no magic number: UTF-8 without NUL or other control bytes.
    try:
        text = data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ch in text for ch in "\x00\x1b") or text.lstrip().lower().startswith(
        ("<!doctype", "<html", "<svg", "<?xml")
    ):
        return None
    return "text/plain"


def check(upload: Upload) -> str:
    """The content type to store, or AttachmentError with words for the requester."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    if not upload.data:
        raise AttachmentError("The selected file is empty.")
    if len(upload.data) > limit:
        raise AttachmentError(
            f"The selected file must be smaller than {limit // (1024 * 1024)} MB."
        )
    mime = sniff(upload.data)
    if mime is None:
        raise AttachmentError(f"The selected file must be a {ALLOWED_WORDS} file.")
    return mime


def directory() -> Path:
    path = Path(current_app.config["ATTACHMENT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(
    sr: ServiceRequest, upload: Upload, actor: User, event: RequestEvent, now: datetime
) -> str:
    """Write the file and add its row to the current transaction; returns its storage
    name so the caller can remove the file if the transaction fails."""
    mime = check(upload)
    storage_name = secrets.token_hex(16)
    path = directory() / storage_name
    with open(path, "xb") as handle:
        handle.write(upload.data)
    db.session.add(
        RequestAttachment(
            request_id=sr.id,
            event_id=event.id,
            uploaded_by_id=actor.id,
            filename=clean_filename(upload.filename),
            storage_name=storage_name,
            content_type=mime,
            size=len(upload.data),
            internal=event.internal or event.kind is EventKind.NOTE,
            created_at=now,
        )
    )
    return storage_name


def discard(storage_names: list[str]) -> None:
    for name in storage_names:
        try:
            os.remove(directory() / name)
        except FileNotFoundError:
            pass


def path_of(attachment: RequestAttachment) -> Path:
    return directory() / attachment.storage_name
