"""E-mail wording lives in templates, not in rule code (microblog's `templates/email/`).

A message is two templates: `email/<name>.txt` with a `subject` and a `body` block, and
`email/<name>.html` (optional) for the HTML part. `.txt` is rendered unescaped (plain text);
`.html` is autoescaped like every page. The HTML part rides in the outbox row's payload and
the worker sends it as the alternative to the text (portal/notify/delivery.py).

    notify.email.enqueue(user.email, "feedback_check_in", topic="feedback.check_in",
                         user=user, department=department, ...)
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from jinja2 import TemplateNotFound
from jinja2_fragments import render_block

from portal.models import OutboxMessage
from portal.notify import outbox


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str | None


def compose(name: str, **context) -> Email:
    """The subject, text and HTML of message `name`, rendered with `context`."""
    env = current_app.jinja_env
    source = f"email/{name}.txt"
    subject = " ".join(render_block(env, source, "subject", **context).split())
    text = render_block(env, source, "body", **context).strip("\n") + "\n"
    try:
        html = env.get_template(f"email/{name}.html").render(subject=subject, **context)
    except TemplateNotFound:
        html = None
    return Email(subject, text, html)


def enqueue(
    to: str, name: str, *, topic: str, dedupe_key: str | None = None, **context
) -> OutboxMessage | None:
    """Compose message `name` and add it to the caller's transaction (see outbox)."""
    message = compose(name, **context)
    return outbox.enqueue_email(
        to,
        message.subject,
        message.text,
        topic=topic,
        dedupe_key=dedupe_key,
        payload={"html": message.html} if message.html else None,
    )
