"""The kinds of e-mail a person (or a team mailbox) can turn on and off.

Each e-mail the outbox sends has a topic; a kind groups the topics people think of as one
("replies" covers our reply to you and your reply to us). A topic with no kind is always
sent: the answers to mail someone sent us (portal.mail_in) are not subscriptions. The
requester's "we received your request" and the team's "a new request" share the topic
`request.created`; the payload's `kind` tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailKind:
    name: str
    label: str
    hint: str


PERSON_KINDS = (
    MailKind(
        "request_sent", "Requests you send", "“We received your request”, with its key and promise."
    ),
    MailKind(
        "request_new",
        "New requests for your team",
        "When a request arrives in a department you serve in.",
    ),
    MailKind(
        "request_replies", "Replies on requests", "A reply from the team, or from the requester."
    ),
    MailKind("request_status", "Status changes", "Waiting for you, resolved, reopened."),
    MailKind(
        "request_alerts",
        "Requests at risk or overdue",
        "When a promise is about to be broken, or was.",
    ),
    MailKind("rating_asked", "Asked to rate a request", "After a request of yours is resolved."),
    MailKind("wall_thanks", "Thanks on the wall", "When someone thanks you or your team."),
    MailKind("check_in", "Check-in invitations", "When a department asks how it serves you."),
    MailKind("article_review", "Articles due for review", "For the owner of a knowledge article."),
    MailKind(
        "early_warning", "Scorecard early warnings", "For managers, when a measure keeps falling."
    ),
)
# What a department's team mailbox may get a copy of.
TEAM_KINDS = tuple(
    k
    for k in PERSON_KINDS
    if k.name in ("request_new", "request_replies", "request_status", "request_alerts")
)
KIND_NAMES = frozenset(k.name for k in PERSON_KINDS)

_KIND_OF_TOPIC = {
    "request.created": "request_new",
    "request.replied": "request_replies",
    "request.requester_replied": "request_replies",
    "request.waiting": "request_status",
    "request.resolved": "request_status",
    "request.reopened": "request_status",
    "request.at_risk": "request_alerts",
    "request.breached": "request_alerts",
    "feedback.rating_asked": "rating_asked",
    "wall.recognised": "wall_thanks",
    "feedback.check_in": "check_in",
    "article.review": "article_review",
    "insights.early_warning": "early_warning",
}


def kind_of(topic: str, payload: dict | None) -> str | None:
    """The kind of an e-mail, or None for one that is always sent."""
    named = (payload or {}).get("kind")
    if isinstance(named, str) and named in KIND_NAMES:
        return named
    return _KIND_OF_TOPIC.get(topic)
