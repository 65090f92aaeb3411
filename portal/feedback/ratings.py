"""Satisfaction after resolution: "How did IT do?" (1–5 and an optional comment).

One rating per request (a unique constraint), given by the requester on the request page
or through the link in the resolution e-mail; it can be changed while the request is
resolved and no longer once it is closed. The e-mailed link carries a signed token
(itsdangerous, salted, expiring) whose nonce is a `RatingInvite` row: the first use marks
it with a conditional UPDATE, so a second use — or a copy of the link — is refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.core import clock
from portal.core.errors import NotFound, Refused
from portal.database import write_transaction
from portal.extensions import db
from portal.feedback.typed_text import typed_text
from portal.models import (
    RatingInvite,
    RequestStatus,
    SatisfactionRating,
    ServiceRequest,
    User,
)
from portal.notify import email
from portal.service_requests.services import lifecycle

TOKEN_SALT = "inward.rating"  # noqa: S105  (a namespace for the signature, not a secret)
TOKEN_MAX_AGE = 14 * 24 * 3600  # two weeks: long enough to come back from a holiday
COMMENT_MAX = 2000
SCORES = ("1", "2", "3", "4", "5")
SCORE_WORDS = {1: "Very poor", 2: "Poor", 3: "OK", 4: "Good", 5: "Very good"}


def parse_score(value: object) -> int:
    """A score as typed or posted: exactly one of "1".."5"."""
    text = value.strip() if isinstance(value, str) else ""
    if text == "":
        raise Refused("Choose a score from 1 (very poor) to 5 (very good).", "score")
    if text not in SCORES:
        raise Refused("A score is a whole number from 1 to 5.", "score")
    return int(text)


def clean_comment(value: object) -> str:
    too_long = f"Keep the comment to {COMMENT_MAX} characters."
    return typed_text(value, COMMENT_MAX, too_long, "comment")


def rating_of(sr: ServiceRequest) -> SatisfactionRating | None:
    return db.session.scalar(
        select(SatisfactionRating).where(SatisfactionRating.request_id == sr.id)
    )


def may_rate(user: User | None, sr: ServiceRequest) -> bool:
    """Only the person the request was for rates it."""
    return bool(user is not None and getattr(user, "id", None) == sr.requester_id)


def is_open_for_rating(sr: ServiceRequest, existing: SatisfactionRating | None) -> bool:
    """A first rating once resolved (or closed); a change only while still resolved."""
    if existing is None:
        return sr.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)
    return sr.status is RequestStatus.RESOLVED


@dataclass(frozen=True)
class RatingPanel:
    """What the request page shows about the rating, for its requester."""

    shown: bool
    rating: SatisfactionRating | None
    can_change: bool
    department_name: str


def panel_for(user: User | None, sr: ServiceRequest) -> RatingPanel:
    if not may_rate(user, sr) or sr.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return RatingPanel(False, None, False, sr.department.name)
    existing = rating_of(sr)
    return RatingPanel(True, existing, is_open_for_rating(sr, existing), sr.department.name)


def _record(
    sr: ServiceRequest,
    rater: User,
    score: int,
    comment: str,
    *,
    change: bool,
    now: datetime,
) -> SatisfactionRating:
    existing = rating_of(sr)
    if existing is not None and not change:
        raise Refused(
            f"You already rated this request {existing.score} out of 5. "
            "Change your rating on the request page instead.",
            "score",
        )
    if not is_open_for_rating(sr, existing):
        if existing is not None:
            raise Refused("This request is closed, so its rating can no longer change.")
        raise Refused("A request can be rated once it is resolved.")
    if existing is not None:
        existing.score = score
        existing.comment = comment
        existing.updated_at = now
        return existing
    rating = SatisfactionRating(
        request_id=sr.id,
        department_id=sr.department_id,
        rater_id=rater.id,
        score=score,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    db.session.add(rating)
    db.session.flush()
    return rating


def rate(
    user: User,
    sr: ServiceRequest,
    score: object,
    comment: object = "",
    *,
    change: bool = False,
    now: datetime | None = None,
) -> SatisfactionRating:
    """Record (or, with ``change``, change) the requester's rating of ``sr``.

    Raises NotFound when ``user`` is not the requester (404) and
    Refused for anything the person can fix. Commits."""
    now = clock.now(now)
    if not may_rate(user, sr):
        raise NotFound
    value = parse_score(score)
    text = clean_comment(comment)
    try:
        with write_transaction():
            db.session.refresh(sr)
            rating = _record(sr, user, value, text, change=change, now=now)
    except IntegrityError:
        # Two first ratings raced: the unique constraint kept one.
        raise Refused(
            "This request was rated meanwhile. Reload the page to see the rating.", "score"
        ) from None
    return rating


# The e-mailed link ------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def issue_token(sr: ServiceRequest, now: datetime | None = None) -> str:
    """A new single-use token for rating ``sr`` (added to the caller's transaction)."""
    nonce = secrets.token_urlsafe(24)
    db.session.add(RatingInvite(request_id=sr.id, nonce=nonce, created_at=clock.now(now)))
    return _serializer().dumps({"r": sr.id, "n": nonce})


def ask_for_rating(sr: ServiceRequest, now: datetime | None = None) -> None:
    """The resolution e-mail's companion: one link per score, each recording it.
    Called by the request area inside its resolving transaction."""
    requester = db.session.get(User, sr.requester_id)
    if requester is None or not requester.active:
        return
    token = issue_token(sr, now)
    base = current_app.config["PORTAL_URL"]
    # Links built by hand: this also runs outside a request (CLI, demo loader).
    links = [
        (value, SCORE_WORDS[value], f"{base}/rate/{token}?score={value}")
        for value in range(5, 0, -1)
    ]
    email.enqueue(
        requester.email,
        "feedback_rating_asked",
        topic="feedback.rating_asked",
        requester=requester,
        sr=sr,
        department_name=sr.department.name,
        links=links,
    )


@dataclass(frozen=True)
class LinkTarget:
    request: ServiceRequest
    invite: RatingInvite


def check_token(token: str, now: datetime | None = None) -> LinkTarget:
    """The request a token is for, or Refused saying why the link does not work."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired:
        raise Refused(
            "This rating link has expired. You can still rate the request from its page."
        ) from None
    except BadSignature:
        raise Refused(
            "This rating link is not valid. Use the link from your e-mail."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        raise Refused("This rating link is not valid. Use the link from your e-mail.")
    invite = db.session.scalar(select(RatingInvite).where(RatingInvite.nonce == data["n"]))
    if invite is None or invite.request_id != data.get("r"):
        raise Refused("This rating link is not valid. Use the link from your e-mail.")
    if invite.used_at is not None:
        raise Refused("This rating link was already used. Thank you for your rating.")
    sr = db.session.get(ServiceRequest, invite.request_id)
    if sr is None:
        raise Refused("This rating link is not valid. Use the link from your e-mail.")
    return LinkTarget(sr, invite)


def rate_by_token(
    token: str, score: object, comment: object = "", now: datetime | None = None
) -> SatisfactionRating:
    """Record the rating a link was sent for. The link is spent in the same transaction
    (conditional UPDATE), so two clicks record one rating."""
    now = clock.now(now)
    target = check_token(token, now)
    value = parse_score(score)
    text = clean_comment(comment)
    requester = db.session.get(User, target.request.requester_id)
    try:
        with write_transaction():
            spent = db.session.execute(
                update(RatingInvite)
                .where(RatingInvite.id == target.invite.id, RatingInvite.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            if spent.rowcount != 1:
                raise Refused("This rating link was already used. Thank you for your rating.")
            db.session.refresh(target.request)
            rating = _record(target.request, requester, value, text, change=False, now=now)
    except IntegrityError:
        raise Refused("This request was rated meanwhile.") from None
    return rating


lifecycle.when_resolved(ask_for_rating)  # issue 5: "How did IT do?" once resolved
