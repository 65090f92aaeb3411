"""Who hears about a request and in which words: e-mails, in-app notices and webhooks,
written to the outbox in the caller's transaction.

The words are templates, two per message: templates/email/request_<message>.txt with a
`subject` and a `body` block (a webhook's text is its `webhook` block), and
request_<message>.html, the HTML part sent beside the text (autoescaped). They are rendered
here without a request (the jobs run from the command line), so they see only what they
are given: the request, the people, the link.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, text

from portal import sla
from portal.database import read
from portal.directory.calendars import calendar_for
from portal.extensions import db
from portal.models import Department, Membership, ServiceRequest, User
from portal.notify import outbox
from portal.notify.kinds import kind_of
from portal.notify.reply_address import reply_address


def request_link(sr: ServiceRequest) -> str:
    return f"{current_app.config['PORTAL_URL']}/requests/{sr.key}"


def words(message: str, *blocks: str, **context) -> list[str]:
    """The named blocks of templates/email/request_<message>.txt, stripped."""
    template = current_app.jinja_env.get_template(f"email/request_{message}.txt")
    rendered = template.new_context(context)
    return ["".join(template.blocks[block](rendered)).strip() for block in blocks]


def _email(message: str, **context) -> tuple[str, str, dict]:
    """(subject, text, the outbox payload carrying the HTML part) of one message. The
    payload names the request (`thread`: the delivery threads every e-mail about it)."""
    subject, body = words(message, "subject", "body", **context)
    subject = " ".join(subject.split())
    html = current_app.jinja_env.get_template(f"email/request_{message}.html")
    payload = {"html": html.render(subject=subject, **context), "thread": context["sr"].key}
    return subject, body + "\n", payload


def for_reader(sr: ServiceRequest, payload: dict, reader: str) -> dict:
    """The payload of one reader's copy: with the signed address their reply goes to,
    when the department takes mail (portal.mail_in)."""
    mailbox = sr.department.mail_address
    if not mailbox:
        return payload
    address = reply_address(mailbox, sr.key, reader, current_app.secret_key)
    return {**payload, "reply_to": address}


def team_copy(
    sr: ServiceRequest,
    topic: str,
    subject: str,
    body: str,
    payload: dict,
    dedupe_key: str | None = None,
) -> None:
    """A copy for the department's team mailbox, when its manager chose this kind of mail
    (Department.team_mail_kinds; the worker checks the choice again at delivery)."""
    department = sr.department
    kind = kind_of(topic, payload)
    if department.email and kind and kind in (department.team_mail_kinds or "").split():
        team_payload = {**payload, "team": department.id}
        outbox.enqueue_email(
            department.email,
            subject,
            body,
            topic=topic,
            dedupe_key=dedupe_key,
            payload=team_payload,
        )


def notify_requester(sr: ServiceRequest, topic: str, message: str, **context) -> None:
    """An e-mail and an in-app notice to the requester (if still with us)."""
    requester = db.session.get(User, sr.requester_id)
    if requester is None or not requester.active:
        return
    subject, body, payload = _email(
        message, sr=sr, requester=requester, link=request_link(sr), **context
    )
    payload = for_reader(sr, payload, requester.email)
    outbox.enqueue_email(requester.email, subject, body, topic=topic, payload=payload)
    outbox.notify_user(requester, topic, subject, f"/requests/{sr.key}")


def department_members(department_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == department_id, User.active, ~User.is_service)
            .order_by(User.id)
        )
    )


def department_addresses(department_id: int) -> list:
    """(id, email) of the department's active people, for e-mails to all of them."""
    return list(read(_ADDRESSES, {"department_id": department_id}).all())


_ADDRESSES = text(
    "SELECT u.id, u.email FROM user_account AS u "
    "JOIN department_membership AS m ON m.user_id = u.id "
    "WHERE m.department_id = :department_id AND u.active ORDER BY u.id"
)


def notify_workers(
    sr: ServiceRequest, topic: str, message: str, dedupe: str | None = None, **context
) -> bool:
    """The assignee if there is one, else everyone in the department."""
    people = (
        [sr.assignee]
        if sr.assignee_id and sr.assignee and sr.assignee.active
        else department_members(sr.department_id)
    )
    subject, body, payload = _email(message, sr=sr, link=request_link(sr), **context)
    sent = False
    team_copy(sr, topic, subject, body, payload, f"{dedupe}:team" if dedupe else None)
    for person in people:
        key = f"{dedupe}:{person.id}" if dedupe else None
        if outbox.enqueue_email(
            person.email,
            subject,
            body,
            topic=topic,
            dedupe_key=key,
            payload=for_reader(sr, payload, person.email),
        ):
            sent = True
    return sent


def promise_words(sr: ServiceRequest) -> str:
    day = calendar_for(sr.department).typical_day_minutes()
    return sla.describe_business_minutes(sr.first_response_target, day)


def notify_created(
    sr: ServiceRequest,
    transferred_from: Department | None = None,
    workers: list | None = None,
) -> None:
    """The department (its assignee, else everyone: `workers` when the caller read them
    already) and, for a new request, the requester; their e-mails in one INSERT."""
    requester = db.session.get(User, sr.requester_id)
    topic = "request.created"
    link = request_link(sr)
    if sr.assignee_id and sr.assignee and sr.assignee.active:
        workers = [sr.assignee]
    elif workers is None:
        workers = department_addresses(sr.department_id)
    context = {"sr": sr, "requester": requester, "link": link}
    subject, body, payload = _email("created", transferred_from=transferred_from, **context)
    emails = [
        (person.email, subject, body, topic, for_reader(sr, payload, person.email))
        for person in workers
    ]
    team_copy(sr, topic, subject, body, payload)
    if transferred_from is None and requester.active:
        subject, body, payload = _email("sent", promise=promise_words(sr), **context)
        payload = {**for_reader(sr, payload, requester.email), "kind": "request_sent"}
        emails.append((requester.email, subject, body, topic, payload))
        outbox.enqueue_emails(emails)
        outbox.notify_users([(requester.id, topic, subject, f"/requests/{sr.key}")])
    else:
        outbox.enqueue_emails(emails)
    if sr.department.webhook_url:
        (hook,) = words("created", "webhook", **context)
        outbox.enqueue_webhook(
            sr.department.webhook_url,
            {"text": hook, "key": sr.key, "event": "created"},
            topic="request.created",
        )
