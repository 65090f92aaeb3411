"""The new words of a reply: quoted history and signatures go.

mail-parser-reply (pinned in requirements.txt) does the work: it is maintained (releases in
2025), MIT-licensed, pure Python, and knows the "On … wrote:" / "-----Original Message-----"
/ "Von: … Gesendet:" headers of Outlook, Gmail and Apple Mail in a dozen languages, which a
home-made pattern list would keep missing. Where it finds nothing, or fails, the fallback
below cuts at the first quoted line or reply header it knows. Before either, everything
from our own "reply above this line" marker down goes.
"""

from __future__ import annotations

import logging
import re

from mailparser_reply import EmailReplyParser

log = logging.getLogger(__name__)

LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "sv", "pl"]
_FALLBACK_CUT = re.compile(
    r"(?im)^(>|-{2,}\s*original message\s*-{2,}|on .{1,200} wrote:\s*$|from:\s.+$|"
    r"_{10,}|-- ?$)"
)
# The marker at the top of our own e-mails (templates/email/_reply_marker.txt): whatever
# stands on its line or below it is the quoted e-mail, however the client quoted it
# ("> ##- Reply above this line -##", "On … wrote:" above it, or an HTML-only reply).
REPLY_ABOVE = re.compile(r"(?im)^[^\n]*#+-?\s*reply above this line\s*-?#+")
NOTE_MARKER = re.compile(r"^\s*#note\b[ \t]*\n?", re.IGNORECASE)


def new_text(text: str) -> str:
    """The reply's own text, without the history quoted below it or the signature."""
    marker = REPLY_ABOVE.search(text)
    if marker:
        text = text[: marker.start()]
    if not text.strip():
        return ""
    try:
        replies = EmailReplyParser(languages=LANGUAGES).read(text).replies
        found = replies[0].body.strip() if replies else ""
    except Exception:  # a third-party parser on untrusted text: never let it lose the mail
        log.warning("mail-parser-reply failed; using the fallback", exc_info=True)
        found = ""
    if not found:
        match = _FALLBACK_CUT.search(text)
        found = (text[: match.start()] if match else text).strip()
    return found


def split_note_marker(text: str) -> tuple[bool, str]:
    """(whether the text starts with #note, the text without it)."""
    match = NOTE_MARKER.match(text)
    return (True, text[match.end() :].strip()) if match else (False, text)
