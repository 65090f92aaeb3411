"""Signed reply addresses: it-help+IT-131.<signature>@example.com.

Each e-mail about a request tells its reader to reply to the department's mailbox with the
request's key and a signature after a `+`. The signature is an HMAC of the key and the
reader's own address under the portal's secret, so nobody can post into a request by
guessing its key, and an address handed on to a colleague does not let that colleague
post as the person it was made for. Pure: the caller passes the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re

SIGNATURE_LENGTH = 20  # hex characters: 80 bits
_TAG = re.compile(rf"^([A-Za-z0-9]{{1,10}}-[1-9][0-9]{{0,8}})\.([0-9a-f]{{{SIGNATURE_LENGTH}}})$")


def signature(key: str, reader: str, secret: str | bytes) -> str:
    secret = secret.encode() if isinstance(secret, str) else secret
    message = f"reply:{key.upper()}:{reader.strip().lower()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def reply_address(mailbox: str, key: str, reader: str, secret: str | bytes) -> str:
    """The address `reader` replies to about request `key` (mailbox: it-help@example.com)."""
    local, _, domain = mailbox.partition("@")
    return f"{local}+{key.upper()}.{signature(key, reader, secret)}@{domain}"


def split_tag(address: str) -> tuple[str, str | None]:
    """(the mailbox without its tag, lower-cased; the tag or None)."""
    local, _, domain = address.strip().lower().rpartition("@")
    base, plus, tag = local.partition("+")
    return f"{base}@{domain}", (tag if plus else None)


def signed_key(tag: str, reader: str, secret: str | bytes) -> str | None:
    """The request key a tag names when its signature was made for `reader`; None for a
    tag that is not ours, or was signed for someone else (compared in constant time)."""
    match = _TAG.match(tag or "")
    if match is None:
        return None
    key, given = match.group(1).upper(), match.group(2)
    if not hmac.compare_digest(given, signature(key, reader, secret)):
        return None
    return key
