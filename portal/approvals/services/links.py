"""The e-mailed approve / reject links: signed with the portal's secret under their own
salt (a rating or unsubscribe token is no approval token), naming the approval row, its
nonce and the decision. The row's nonce is cleared by its decision, so a link works once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "inward.approvals.decide"
MAX_AGE_SECONDS = 14 * 24 * 3600  # a fortnight: long enough for a holiday week
DECISIONS = ("approve", "reject")


class LinkProblem(Exception):
    """A link that cannot decide anything: `kind` is forged, expired or used."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class LinkClaim:
    approval_id: int
    nonce: str
    decision: str


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(approval_id: int, nonce: str, decision: str) -> str:
    return _serializer().dumps({"a": approval_id, "n": nonce, "d": decision})


def link_for(approval_id: int, nonce: str, decision: str) -> str:
    # Built by hand: this also runs outside a request (the reminder job, the demo).
    base = current_app.config["PORTAL_URL"]
    return f"{base}/approvals/link/{token_for(approval_id, nonce, decision)}"


def read(token: str, max_age: int = MAX_AGE_SECONDS) -> LinkClaim:
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except BadSignature:
        raise LinkProblem("forged") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("a"), int)
        or not isinstance(data.get("n"), str)
        or data.get("d") not in DECISIONS
    ):
        raise LinkProblem("forged")
    return LinkClaim(data["a"], data["n"], data["d"])
