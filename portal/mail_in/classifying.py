"""Mail that is automatic never creates a request or a reply and is never answered:
RFC 3834's Auto-Submitted, Precedence bulk/list/junk, mailing lists, bounces from a mailer
daemon, out-of-office replies (by their headers and their subjects) and the portal's own
e-mails coming back. Pure: no database, no Flask."""

from __future__ import annotations

import re

from portal.mail_in.parsing import InboundMail

_DAEMONS = (
    "mailer-daemon",
    "postmaster",
    "mail-daemon",
    "noreply",
    "no-reply",
    "do-not-reply",
    "donotreply",
    "bounce",
    "bounces",
)
_AUTOMATIC_SUBJECT = re.compile(
    r"(?i)^\s*(auto(matic)?[\s_-]*(reply|response|antwort)|out of (the )?office|"
    r"(i am|i'm) (away|out)|abwesenheit|absence|r[ée]ponse automatique|autosvar|"
    r"fuera de la oficina|undeliver(able|ed)|delivery (status notification|failure|"
    r"has failed)|mail delivery (failed|failure|subsystem)|returned mail|"
    r"failure notice|non-?delivery)"
)


def is_own(mail: InboundMail, own_addresses: set[str], own_domain: str) -> bool:
    """One of the portal's e-mails, or a mail from one of its own mailboxes."""
    if mail.headers.get("x-inward-outbox"):
        return True
    if mail.sender and mail.sender in own_addresses:
        return True
    return mail.message_id.startswith("outbox-") and mail.message_id.endswith(f"@{own_domain}")


def automatic_reason(mail: InboundMail) -> str | None:
    """Why this mail is automatic (words for the record), or None for mail a person wrote."""
    h = mail.headers
    auto = h.get("auto-submitted", "").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Automatic mail (Auto-Submitted: {auto[:40]})."
    precedence = h.get("precedence", "").lower().strip()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"Bulk or list mail (Precedence: {precedence})."
    if h.get("list-id") or h.get("list-unsubscribe"):
        return "Mailing-list mail."
    if h.get("x-autoreply") or h.get("x-autorespond"):
        return "An automatic reply."
    if h.get("x-auto-response-suppress") and _AUTOMATIC_SUBJECT.match(mail.subject):
        return "An out-of-office reply."
    if h.get("x-loop"):
        return "A mail that has looped."
    return _bounce_or_away(mail)


def _bounce_or_away(mail: InboundMail) -> str | None:
    local = mail.sender.partition("@")[0]
    if not mail.sender or mail.headers.get("return-path", "").strip() == "<>":
        return "A bounce (no sender to answer)."
    if (
        local in _DAEMONS
        or mail.content_type == "multipart/report"
        or mail.headers.get("x-failed-recipients")
    ):
        return "A bounce or a message from a mail system."
    if _AUTOMATIC_SUBJECT.match(mail.subject):
        return "An out-of-office or automatic reply (by its subject)."
    return None
