"""Request e-mails: every message has a text part and an HTML part, the same words, the
people's own text escaped in the HTML (never markup)."""

from __future__ import annotations

import email

from markupsafe import escape
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, RequestStatus
from portal.notify.delivery import build_email
from portal.service_requests.services import conversation, lifecycle
from tests import factories

TITLE = 'Laptop <script>alert("x")</script> & dock'


def _mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_every_request_message_carries_an_escaped_html_part(it_desk):
    sr = factories.make_request(it_desk.laptop, it_desk.erin, title=TITLE)
    conversation.reply(sr, it_desk.ivan, "Which <b>model</b>?")
    lifecycle.change_status(sr, it_desk.ivan, RequestStatus.WAITING, body="Tell us <i>soon</i>")
    conversation.reply(sr, it_desk.erin, "The <em>small</em> one")
    lifecycle.change_status(sr, it_desk.ivan, RequestStatus.RESOLVED)
    lifecycle.reopen(sr, it_desk.erin, "Still <u>broken</u>")

    mails = _mails()
    topics = {m.topic for m in mails}
    assert {
        "request.created",
        "request.replied",
        "request.waiting",
        "request.resolved",
        "request.reopened",
    } <= topics
    for mail in mails:
        html = (mail.payload or {}).get("html")
        assert html, f"{mail.topic} to {mail.recipient} has no HTML part"
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert f"<title>{escape(mail.subject)}</title>" in html
        for typed in ("<b>model</b>", "<i>soon</i>", "<em>small</em>", "<u>broken</u>"):
            assert typed not in html
    replied = next(
        m for m in mails if m.topic == "request.replied" and m.recipient == "erin@example.com"
    )
    assert "Which &lt;b&gt;model&lt;/b&gt;?" in replied.payload["html"]
    assert "Which <b>model</b>?" in replied.body  # the text part is plain text, as typed


def test_a_request_mail_goes_out_as_text_with_an_html_alternative(it_desk):
    factories.make_request(it_desk.laptop, it_desk.erin, title="New laptop")
    sent = next(m for m in _mails() if m.recipient == "erin@example.com")
    message = email.message_from_bytes(build_email(sent, "portal@example.com").as_bytes())
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    assert kinds == ["text/plain", "text/html"]
