"""Mail that reads well and that people choose (issue 15 item 5): the "reply above this
line" marker and the cut at it on the way in, one-click unsubscribe (RFC 8058) with a
signed link, a person's e-mail choices (skipped at delivery, in-app notices unaffected),
and the e-mails a department's team mailbox gets."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail_in.reply_text import new_text
from portal.models import AuditEntry, MailOptOut, Notification, OutboxMessage, OutboxStatus
from portal.notify import unsubscribe
from portal.notify.delivery import build_email
from portal.notify.worker import Worker
from portal.service_requests.services import conversation
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
LATER = datetime.now(UTC) + timedelta(days=1)


class RecordingMailer:
    """Builds each e-mail as SMTP would get it, and keeps it."""

    def __init__(self, sent: list):
        self.sent = sent

    def send(self, delivery) -> None:
        raw = build_email(delivery, "Inward <inward@example.org>").as_bytes()
        self.sent.append(email.message_from_bytes(raw, policy=email.policy.default))

    def close(self) -> None:
        pass


def deliver(app) -> list:
    db.session.commit()
    sent: list = []
    Worker(app, mailer=lambda: RecordingMailer(sent)).run_once(LATER)
    db.session.rollback()
    db.session.expire_all()
    return sent


def to(sent: list, address: str) -> list:
    return [m for m in sent if m["To"] == address]


def text_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_content()


def token_in(message) -> str:
    return re.search(r"/unsubscribe/([^>]+)>", message["List-Unsubscribe"]).group(1)


@pytest.fixture
def desk(it_desk):
    it_desk.it.mail_address = "it-help@example.com"
    db.session.commit()
    return it_desk


# ------------------------------------------------------------ the e-mails themselves


def test_every_email_template_has_an_html_twin():
    texts = sorted((ROOT / "templates" / "email").glob("[!_]*.txt"))
    assert texts
    missing = [t.name for t in texts if not t.with_suffix(".html").exists()]
    assert not missing, f"text-only e-mails: {missing}"


def test_thanks_on_the_wall_go_out_as_text_and_html(app, wall):
    from portal.recognition.services import posting

    posting.post_recognition(
        wall.ivan,
        recipients="",
        chosen=[f"person-{wall.erin.id}"],
        value_id=wall.customer_first.id,
        message="Thanks <b>for</b> the help",
    )
    [message] = to(deliver(app), wall.erin.email)
    kinds = [p.get_content_type() for p in message.walk() if not p.is_multipart()]
    assert kinds == ["text/plain", "text/html"]
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "&lt;b&gt;for&lt;/b&gt;" in html and "<b>for</b>" not in html


def test_request_mails_name_the_key_and_start_with_the_reply_marker(app, desk):
    sr = factories.make_request(desk.laptop, desk.erin, title="Dock")
    conversation.reply(sr, desk.ivan, "Which model?")
    sent = deliver(app)
    assert len(sent) >= 3
    for message in sent:
        assert sr.key in message["Subject"]
        assert text_of(message).startswith("##- Reply above this line -##")
        assert message["Reply-To"].startswith("it-help+")


def test_without_a_mailbox_no_marker_is_promised(app, it_desk):
    factories.make_request(it_desk.laptop, it_desk.erin, title="Dock")
    for message in deliver(app):
        assert "Reply above this line" not in text_of(message)


@pytest.mark.parametrize(
    "reply",
    [
        "Works now, thanks!\n\nOn Mon, 7 Dec 2026, IT <it-help@example.com> wrote:\n"
        "> ##- Reply above this line -##\n>\n> Hello Erin,\n> Which model?\n",
        # A client that quotes without ">" and without an "On … wrote:" line.
        "Works now, thanks!\n##- Reply above this line -##\n\nHello Erin,\nWhich model?\n",
        "Works now, thanks!\n\n    ##- reply above this line -##\nHello Erin,\n",
    ],
)
def test_mail_in_keeps_only_what_stands_above_the_marker(reply):
    assert new_text(reply) == "Works now, thanks!"


# ------------------------------------------------------------ one-click unsubscribe


def test_each_mail_of_a_kind_carries_a_one_click_unsubscribe_link(app, desk):
    factories.make_request(desk.laptop, desk.erin, title="Dock")
    sent = deliver(app)
    [ack] = to(sent, desk.erin.email)
    assert ack["List-Unsubscribe"].startswith("<http")
    assert ack["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    target = unsubscribe.target(token_in(ack))
    assert (target.user.id, target.kind) == (desk.erin.id, "request_sent")
    [to_ivan] = to(sent, desk.ivan.email)
    assert unsubscribe.target(token_in(to_ivan)).kind == "request_new"


def test_get_asks_and_changes_nothing_post_turns_that_kind_off(app, desk, client):
    factories.make_request(desk.laptop, desk.erin, title="Dock")
    [ack] = to(deliver(app), desk.erin.email)
    url = f"/unsubscribe/{token_in(ack)}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Stop “Requests you send” e-mails?" in html and "<button" in html
    assert desk.erin.email not in html and desk.erin.name not in html  # nothing revealed
    assert db.session.scalars(select(MailOptOut)).all() == []
    # The mail client's POST: no session, no CSRF token (RFC 8058).
    done = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "You will not get these e-mails any more" in done.get_data(as_text=True)
    db.session.expire_all()
    rows = db.session.scalars(select(MailOptOut)).all()
    assert [(r.user_id, r.kind) for r in rows] == [(desk.erin.id, "request_sent")]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "mail_preferences.unsubscribe")
    )
    assert entry is not None and entry.object_id == desk.erin.id
    assert client.post(url).status_code == 200  # twice: still off, no error


def _token_of(app, desk) -> str:
    factories.make_request(desk.laptop, desk.erin, title="Dock")
    [ack] = to(deliver(app), desk.erin.email)
    return token_in(ack)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # forged
        lambda token: "x" + token,  # altered payload
        lambda token: "not-a-token",
    ],
)
def test_a_forged_or_altered_token_is_a_page_that_does_not_exist(app, desk, client, spoil):
    url = f"/unsubscribe/{spoil(_token_of(app, desk))}"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert db.session.scalars(select(MailOptOut)).all() == []


def test_an_expired_token_is_refused(app, desk, client, monkeypatch):
    token = _token_of(app, desk)
    monkeypatch.setattr(unsubscribe, "UNSUBSCRIBE_MAX_AGE", -1)
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    assert db.session.scalars(select(MailOptOut)).all() == []


def test_a_token_signed_for_an_unknown_kind_is_refused(app, desk, client):
    with app.test_request_context():
        token = unsubscribe._serializer().dumps({"u": desk.erin.id, "k": "everything"})
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    assert db.session.scalars(select(MailOptOut)).all() == []


def test_another_persons_token_turns_off_only_their_mail(app, desk, client, login):
    token = _token_of(app, desk)
    login(desk.ivan)
    page = client.post(f"/unsubscribe/{token}")
    assert page.status_code == 200
    assert desk.erin.email not in page.get_data(as_text=True)
    db.session.expire_all()
    owners = {r.user_id for r in db.session.scalars(select(MailOptOut))}
    assert owners == {desk.erin.id}


# ------------------------------------------------------------ a person's choices


def test_a_kind_turned_off_is_skipped_at_delivery_and_the_notice_still_comes(
    app, desk, client, login, csrf
):
    login(desk.erin)
    wanted = ["request_sent", "request_status"]  # replies off
    response = client.post(
        "/me/notifications", data={"kinds": wanted, "csrf_token": csrf("/me/notifications")}
    )
    assert response.status_code == 303
    sr = factories.make_request(desk.laptop, desk.erin, title="Dock")
    conversation.reply(sr, desk.ivan, "Which model?")
    sent = deliver(app)
    assert [m["Subject"] for m in to(sent, desk.erin.email)] == [f"{sr.key} sent to IT"]
    skipped = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.topic == "request.replied")
    )
    assert skipped.status == OutboxStatus.SKIPPED and skipped.sent_at is None
    notices = db.session.scalars(
        select(Notification.topic).where(Notification.user_id == desk.erin.id)
    ).all()
    assert "request.replied" in notices  # in-app notices are not affected
    assert to(sent, desk.ivan.email)  # the others' mail still goes


def test_the_page_shows_each_kind_and_saves_with_an_audit_entry(app, desk, client, login, csrf):
    login(desk.erin)
    page = client.get("/me/notifications").get_data(as_text=True)
    assert page.count('type="checkbox"') == 10 and page.count(" checked") == 10
    client.post(
        "/me/notifications",
        data={"kinds": ["request_sent"], "csrf_token": csrf("/me/notifications")},
    )
    page = client.get("/me/notifications").get_data(as_text=True)
    assert page.count(" checked") == 1 and "Your e-mail choices are saved." in page
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "mail_preferences.update")
    )
    assert entry.actor_id == desk.erin.id and "rating_asked" in entry.changes["turned_off"][1]


def test_htmx_save_answers_the_form_fragment(app, desk, client, login, csrf):
    login(desk.erin)
    response = client.post(
        "/me/notifications",
        data={"kinds": ["check_in"], "csrf_token": csrf("/me/notifications")},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="mail-preferences"' in html and "Your e-mail choices are saved." in html


def test_an_unknown_kind_is_422_beside_the_field_with_the_input_kept(
    app, desk, client, login, csrf
):
    login(desk.erin)
    response = client.post(
        "/me/notifications",
        data={"kinds": ["check_in", "everything"], "csrf_token": csrf("/me/notifications")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="me-kinds-error"' in html and "Choose from the kinds of e-mail listed." in html
    assert html.count(" checked") == 1 and 'value="check_in" aria-describedby' in html
    assert db.session.scalars(select(MailOptOut)).all() == []


def test_the_page_form_without_csrf_is_refused(app, desk, client, login):
    login(desk.erin)
    response = client.post("/me/notifications", data={"kinds": ["check_in"]})
    assert response.status_code == 400
    assert db.session.scalars(select(MailOptOut)).all() == []


# ------------------------------------------------------------ the team mailbox


def test_the_team_mailbox_gets_only_the_kinds_its_manager_chose(app, desk, client, login, csrf):
    desk.it.email = "it-team@example.com"
    db.session.commit()
    factories.make_request(desk.laptop, desk.erin, title="Before")
    assert to(deliver(app), "it-team@example.com") == []  # none by default
    login(desk.iris)
    response = client.post(
        "/manage/it/team-mail",
        data={"kinds": ["request_new"], "csrf_token": csrf("/manage/it")},
    )
    assert response.status_code == 303
    sr = factories.make_request(desk.laptop, desk.erin, title="After")
    conversation.reply(sr, desk.erin, "More details")
    [copy] = to(deliver(app), "it-team@example.com")
    assert copy["Subject"] == f"New request {sr.key}: After"
    target = unsubscribe.target(token_in(copy))
    assert target.department.id == desk.it.id and target.kind == "request_new"
    # Its one-click link turns the copies off again.
    assert client.post(f"/unsubscribe/{token_in(copy)}").status_code == 200
    db.session.expire_all()
    factories.make_request(desk.laptop, desk.erin, title="Later")
    assert to(deliver(app), "it-team@example.com") == []


def test_a_team_kind_that_is_not_offered_is_422(app, desk, client, login, csrf):
    desk.it.email = "it-team@example.com"
    db.session.commit()
    login(desk.iris)
    response = client.post(
        "/manage/it/team-mail",
        data={"kinds": ["wall_thanks"], "csrf_token": csrf("/manage/it")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Choose from the kinds of e-mail listed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert desk.it.team_mail_kinds == ""
