"""Write notifications in the caller's transaction. Nothing here commits or sends.

    enqueue_email(user.email, "IT-1042: we replied", body, topic="request.replied")
    enqueue_webhook(department.webhook_url, {"text": "..."}, topic="request.created")
    notify_user(user, "wall.recognised", "Erin thanked you", "/wall/17")
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Notification, OutboxChannel, OutboxMessage, User


def _add(message: OutboxMessage) -> OutboxMessage | None:
    if message.dedupe_key is None:
        db.session.add(message)
        return message
    if db.session.scalar(select(exists().where(OutboxMessage.dedupe_key == message.dedupe_key))):
        return None
    # A concurrent writer may insert the same key between the check and our flush:
    # a savepoint keeps the caller's transaction usable when it does.
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def enqueue_email(
    to: str,
    subject: str,
    body: str,
    *,
    topic: str,
    dedupe_key: str | None = None,
    payload: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """An e-mail (plain text) to one address. Returns None when dedupe_key was used before."""
    return _add(
        OutboxMessage(
            channel=OutboxChannel.EMAIL,
            recipient=to,
            subject=subject[:300],
            body=body,
            topic=topic,
            dedupe_key=dedupe_key,
            payload=payload,
        )
    )


def enqueue_emails(messages: list[tuple[str, str, str, str, dict | None]]) -> None:
    """Several e-mails, (to, subject, body, topic, payload) each, without dedupe keys, in
    one INSERT: for busy paths that tell several people at once. The payload carries the
    HTML part ({"html": …}) or is None."""
    if messages:
        db.session.connection().execute(
            OutboxMessage.__table__.insert(),
            [
                {
                    "channel": OutboxChannel.EMAIL,
                    "recipient": to,
                    "subject": subject[:300],
                    "body": body,
                    "topic": topic,
                    "dedupe_key": None,
                    "payload": payload,
                }
                for to, subject, body, topic, payload in messages
            ],
        )


def enqueue_webhook(
    url: str, payload: dict[str, Any], *, topic: str, dedupe_key: str | None = None
) -> OutboxMessage | None:
    """A JSON POST to a webhook URL (Slack/Teams-style incoming webhook). The URL is
    checked again at delivery; see portal.notify.delivery."""
    return _add(
        OutboxMessage(
            channel=OutboxChannel.WEBHOOK,
            recipient=url,
            subject=str(payload.get("text", ""))[:300],
            body="",
            topic=topic,
            dedupe_key=dedupe_key,
            payload=payload,
        )
    )


def notify_user(user: User, topic: str, text: str, link: str = "") -> Notification:
    """An in-app notice; `link` must be a local path."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("a notification links to a local path only")
    notification = Notification(user_id=user.id, topic=topic, text=text[:500], link=link)
    db.session.add(notification)
    return notification


def notify_users(notices: list[tuple[int, str, str, str]]) -> None:
    """Several in-app notices, (user id, topic, text, local link) each, in one INSERT."""
    for _user_id, _topic, _text, link in notices:
        if link and (not link.startswith("/") or link.startswith("//")):
            raise ValueError("a notification links to a local path only")
    if notices:
        db.session.connection().execute(
            Notification.__table__.insert(),
            [
                {"user_id": user_id, "topic": topic, "text": text[:500], "link": link}
                for user_id, topic, text, link in notices
            ],
        )
