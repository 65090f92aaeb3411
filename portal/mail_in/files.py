"""A mail's files through the request area's own checks (type by content, size): the
ones it takes go on, the others are named in the text with the reason."""

from __future__ import annotations

from portal.service_requests import attachments


def checked_files(files: list[attachments.Upload]) -> tuple[list[attachments.Upload], str]:
    """(the files a request takes, a line per file left out, or "")."""
    taken: list[attachments.Upload] = []
    left_out: list[str] = []
    for upload in files:
        try:
            attachments.check(upload)
        except attachments.AttachmentError as error:
            left_out.append(f"- {upload.filename}: {error}")
            continue
        taken.append(upload)
    note = "Files in the e-mail that were not attached:\n" + "\n".join(left_out) if left_out else ""
    return taken, note


def with_note(text: str, note: str) -> str:
    return f"{text}\n\n{note}".strip() if note else text
