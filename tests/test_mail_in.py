"""Mail in (issue 15): a mail to a department's mailbox becomes a request, replies thread
back by the signed reply address or In-Reply-To, automatic mail does nothing, unknown and
unsigned senders are refused with a notice, the same message is taken once."""

from __future__ import annotations

import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.extensions import db
from portal.mail_in import mailboxes
from portal.mail_in.taking import take
from portal.models import (
    EventKind,
    InboundMessage,
    InboundOutcome,
    OutboxMessage,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from portal.notify.delivery import build_email
from portal.notify.reply_address import reply_address
from portal.service_requests.services import lifecycle
from tests import factories, worlds
from tests.mail_messages import PNG, mail, reply_to

MAIL_FROM = "Inward <inward@example.org>"


@pytest.fixture
def desk(app):
    world = worlds.it_desk(people=("ivan", "iris", "erin", "hugo"))
    mailboxes.add_address(world.it, "IT-Help@example.com", world.laptop)
    return world


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def sent_to(address: str, topic: str | None = None):
    """The portal's last e-mail to `address` as it goes out (headers and all)."""
    rows = [m for m in outbox() if m.recipient == address and (topic is None or m.topic == topic)]
    assert rows, f"no e-mail to {address}"
    return message_from_bytes(build_email(rows[-1], MAIL_FROM).as_bytes(), policy=policy.default)


def timeline(sr: ServiceRequest) -> list[RequestEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(RequestEvent).where(RequestEvent.request_id == sr.id).order_by(RequestEvent.id)
        )
    )


def the_request() -> ServiceRequest:
    return db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).first()


def test_a_colleagues_mail_becomes_a_request_acknowledged_with_key_and_promise(desk):
    outcome = take(mail(files=(("jam.png", "image/png", PNG),), subject="Printer  jammed\t again"))
    assert outcome.outcome is InboundOutcome.CREATED and outcome.request_key == "IT-1"
    sr = the_request()
    assert (sr.title, sr.service_id, sr.requester_id) == (
        "Printer jammed again",
        desk.laptop.id,
        desk.erin.id,
    )
    assert sr.description == "It jams on every page.\n\nErin"
    [file] = db.session.scalars(select(RequestAttachment))
    assert (file.filename, file.content_type) == ("jam.png", "image/png")
    ack = sent_to("erin@example.com", "request.created")
    assert "IT-1" in ack["Subject"]
    assert "promise a first reply within" in ack.get_body(("plain",)).get_content()
    assert ack["References"] == "<request-IT-1@example.org>"
    assert ack["Reply-To"].startswith("it-help+IT-1.") and ack["Reply-To"].endswith("@example.com")
    [record] = db.session.scalars(select(InboundMessage))
    assert record.request_id == sr.id and record.outcome is InboundOutcome.CREATED


def test_the_same_message_twice_is_taken_once(desk):
    message = mail()
    assert take(message).outcome is InboundOutcome.CREATED
    again = take(message)
    assert again.duplicate
    assert count(ServiceRequest) == 1 and count(InboundMessage) == 1


def race(build_app, message: bytes, workers: int = 2) -> list:
    """`message` taken by `workers` apps (as on other hosts) at the same instant."""
    db.session.commit()
    apps = [build_app() for _ in range(workers)]
    start = threading.Barrier(workers)
    outcomes, errors = [], []

    def worker(other):
        with other.app_context():
            start.wait()
            try:
                outcomes.append(take(message))
            except Exception as error:  # the test reports it below
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    db.session.rollback()
    return outcomes


def test_two_workers_taking_the_same_message_at_once_make_one_request(desk, build_app):
    outcomes = race(build_app, mail(subject="Raced"))
    assert sorted(o.duplicate for o in outcomes) == [False, True]
    assert count(ServiceRequest) == 1 and count(InboundMessage) == 1
    acks = [m for m in outbox() if m.recipient == "erin@example.com"]
    assert len(acks) == 1


def test_two_workers_taking_the_same_reply_at_once_add_it_once(desk, build_app):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    outcomes = race(build_app, reply_to(ack, sender="erin@example.com", text="Raced reply"))
    assert sorted(o.duplicate for o in outcomes) == [False, True]
    replies = [e for e in timeline(the_request()) if e.kind is EventKind.REPLY]
    assert [e.body for e in replies] == ["Raced reply"]


def test_a_reply_with_quoted_history_adds_only_the_new_words(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    before = len(outbox())
    outcome = take(reply_to(ack, sender="erin@example.com", text="Thanks, it works now."))
    assert outcome.outcome is InboundOutcome.REPLIED and outcome.request_key == "IT-1"
    reply = timeline(the_request())[-1]
    assert (reply.kind, reply.body, reply.actor_id) == (
        EventKind.REPLY,
        "Thanks, it works now.",
        desk.erin.id,
    )
    told = [m for m in outbox()[before:] if m.topic == "request.requester_replied"]
    assert told, "the department hears of the reply"


def test_a_reply_threads_by_in_reply_to_when_sent_to_the_plain_mailbox(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    message = message_from_bytes(reply_to(ack, sender="erin@example.com", text="Any news?"))
    message.replace_header("To", "it-help@example.com")
    assert take(message.as_bytes()).outcome is InboundOutcome.REPLIED
    assert timeline(the_request())[-1].body == "Any news?"


def test_in_reply_to_an_email_sent_to_someone_else_threads_nowhere(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    message = message_from_bytes(reply_to(ack, sender="hugo@example.com", text="Me too"))
    message.replace_header("To", "it-help@example.com")
    assert take(message.as_bytes()).outcome is InboundOutcome.CREATED  # a new request of Hugo's
    assert count(ServiceRequest) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"List-Id": "<all.example.com>"},
        {"X-Autoreply": "yes"},
        {"X-Auto-Response-Suppress": "All", "Subject": "Automatic reply: Printer"},
        {"Subject": "Out of Office: back on Monday"},
        {"Subject": "Abwesenheitsnotiz"},
        {"From": "MAILER-DAEMON@mx.example.com", "Subject": "Undelivered Mail"},
        {"Return-Path": "<>"},
        {"X-Inward-Outbox": "17"},
        {"From": "it-help@example.com"},
    ],
)
def test_automatic_mail_creates_nothing_and_is_never_answered(desk, headers):
    headers = dict(headers)
    sender = headers.pop("From", "erin@example.com")
    subject = headers.pop("Subject", "Printer")
    assert take(mail(sender=sender, subject=subject, headers=headers)).outcome is (
        InboundOutcome.DROPPED
    )
    assert count(ServiceRequest) == 0 and outbox() == []


def test_an_out_of_office_reply_to_an_acknowledgement_adds_and_sends_nothing(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    before = (len(timeline(the_request())), len(outbox()))
    away = reply_to(
        ack,
        sender="erin@example.com",
        text="I am out of the office until Monday.",
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )
    assert take(away).outcome is InboundOutcome.DROPPED
    assert (len(timeline(the_request())), len(outbox())) == before


def test_an_unknown_sender_gets_one_polite_reply_a_day_and_the_department_sees_why(desk):
    first = take(mail(sender="stranger@elsewhere.example", subject="Hello"))
    second = take(mail(sender="stranger@elsewhere.example", subject="Hello again"))
    assert first.outcome is second.outcome is InboundOutcome.REFUSED
    assert count(ServiceRequest) == 0
    [notice] = outbox()
    assert (notice.recipient, notice.topic) == (
        "stranger@elsewhere.example",
        "mail_in.unknown_sender",
    )
    assert "not filed as a request" in notice.body
    reasons = [m.reason for m in db.session.scalars(select(InboundMessage))]
    assert reasons == ["stranger@elsewhere.example is not a colleague in the portal."] * 2


def test_a_colleague_using_a_reply_address_signed_for_someone_else_is_refused(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    events = len(timeline(the_request()))
    forged = reply_to(ack, sender="hugo@example.com", text="I'll take it from here")
    outcome = take(forged)
    assert outcome.outcome is InboundOutcome.REFUSED
    assert len(timeline(the_request())) == events
    notice = outbox()[-1]
    assert (notice.recipient, notice.topic) == ("hugo@example.com", "mail_in.not_taken")
    assert "printer" not in notice.body.lower()  # nothing of the request revealed


def test_a_reply_to_a_request_the_sender_may_not_see_is_refused_revealing_nothing(desk):
    take(mail())
    # An address signed for Hugo (as if he had been on it): valid, but he may not see IT-1.
    to = reply_address("it-help@example.com", "IT-1", "hugo@example.com", "test-secret")
    outcome = take(mail(sender="hugo@example.com", to=to, subject="Hello", text="Let me in"))
    assert outcome.outcome is InboundOutcome.REFUSED
    assert [e.kind for e in timeline(the_request())] == [EventKind.CREATED]
    notice = outbox()[-1]
    assert notice.recipient == "hugo@example.com"
    assert "IT-1" not in notice.body + notice.subject
    assert "printer" not in (notice.body + notice.subject).lower()


def test_a_department_member_replies_to_the_requester_or_writes_a_note(desk):
    take(mail())
    to = sent_to("ivan@example.com", "request.created")
    take(reply_to(to, sender="ivan@example.com", text="#note\nSpare toner in room 2."))
    take(reply_to(to, sender="ivan@example.com", text="On my way."))
    events = timeline(the_request())
    note = next(e for e in events if e.kind is EventKind.NOTE)
    reply = next(e for e in events if e.kind is EventKind.REPLY)
    assert (note.kind, note.internal, note.body) == (EventKind.NOTE, True, "Spare toner in room 2.")
    assert (reply.kind, reply.body) == (EventKind.REPLY, "On my way.")
    told = [m for m in outbox() if m.topic == "request.replied"]
    assert [m.recipient for m in told] == ["erin@example.com"]
    assert all("toner" not in m.body for m in outbox())


def test_a_requester_cannot_write_an_internal_note(desk):
    take(mail())
    ack = sent_to("erin@example.com", "request.created")
    take(reply_to(ack, sender="erin@example.com", text="#note secret"))
    last = timeline(the_request())[-1]
    assert (last.kind, last.internal) == (EventKind.REPLY, False)


def test_a_reply_to_a_closed_request_reopens_it_within_the_window(desk):
    take(mail())
    sr = the_request()
    ack = sent_to("erin@example.com", "request.created")
    lifecycle.change_status(sr, desk.ivan, RequestStatus.RESOLVED)
    lifecycle.confirm(sr, desk.erin)
    assert take(reply_to(ack, sender="erin@example.com", text="It broke again.")).outcome is (
        InboundOutcome.REOPENED
    )
    db.session.expire_all()
    assert sr.status is RequestStatus.IN_PROGRESS
    assert [e.body for e in timeline(sr) if e.kind is EventKind.REPLY] == ["It broke again."]


def test_a_reply_to_a_request_closed_long_ago_starts_a_new_one_naming_it(desk):
    take(mail())
    sr = the_request()
    ack = sent_to("erin@example.com", "request.created")
    long_ago = clock.now() - timedelta(days=60)
    lifecycle.change_status(sr, desk.ivan, RequestStatus.RESOLVED, now=long_ago)
    lifecycle.confirm(sr, desk.erin, now=long_ago)
    outcome = take(reply_to(ack, sender="erin@example.com", text="It broke again."))
    assert outcome.outcome is InboundOutcome.CREATED and outcome.request_key == "IT-2"
    new = db.session.scalar(select(ServiceRequest).where(ServiceRequest.key == "IT-2"))
    assert new.description.startswith("It broke again.")
    assert "Follows up on IT-1" in new.description


def test_a_sender_over_the_hourly_limit_is_refused(desk, app):
    app.config["MAIL_IN_SENDER_LIMIT_PER_HOUR"] = 2
    try:
        outcomes = [take(mail(subject=f"Number {n}")).outcome for n in range(3)]
    finally:
        app.config["MAIL_IN_SENDER_LIMIT_PER_HOUR"] = 60
    assert outcomes == [InboundOutcome.CREATED, InboundOutcome.CREATED, InboundOutcome.REFUSED]


def test_mail_to_no_departments_mailbox_is_dropped(desk):
    assert take(mail(to="someone@example.com")).outcome is InboundOutcome.DROPPED
    assert count(ServiceRequest) == 0 and outbox() == []


def test_an_inbound_address_belongs_to_one_department(desk):
    from portal.core.errors import Refused

    with pytest.raises(Refused):
        mailboxes.add_address(desk.hr, "it-help@example.com")
    with pytest.raises(Refused):
        mailboxes.add_address(desk.hr, "hr+tag@example.com")
    factories.make_service(desk.hr, slug="leave", name="Leave")


def test_managers_see_the_mail_we_could_not_take_on_their_manage_page(desk, client, login):
    take(mail(sender="stranger@elsewhere.example", subject="Where is <b>my</b> parcel?"))
    login(desk.iris)
    page = client.get("/manage/it").get_data(as_text=True)
    assert "Mail we could not take" in page and "it-help@example.com" in page
    assert "Where is &lt;b&gt;my&lt;/b&gt; parcel?" in page
    assert "stranger@elsewhere.example is not a colleague in the portal." in page
    section = client.get("/manage/it?section=mail", headers={"HX-Request": "true"})
    assert section.status_code == 200 and "<html" not in section.get_data(as_text=True)
    assert "parcel" in section.get_data(as_text=True)


@pytest.mark.parametrize("who", ["erin", "ivan", "hugo"])
def test_the_mail_list_is_not_found_for_anyone_but_the_departments_managers(
    desk, client, login, who
):
    take(mail(sender="stranger@elsewhere.example"))
    login(getattr(desk, who))
    assert client.get("/manage/it").status_code == 404
    assert client.get("/manage/it?section=mail", headers={"HX-Request": "true"}).status_code == 404


def test_mail_to_an_archived_departments_mailbox_is_refused_not_retried(desk):
    desk.it.active = False
    db.session.commit()
    outcome = take(mail())
    assert outcome.outcome is InboundOutcome.REFUSED
    assert outcome.reason == "This service no longer takes requests."
    assert count(ServiceRequest) == 0


def test_flask_mail_address_connects_a_mailbox_and_says_what_is_wrong(app, runner):
    world = worlds.it_desk(people=("erin",))
    done = runner.invoke(
        args=["mail", "address", "it", "Desk@Example.com", "--service", "new-laptop"]
    )
    assert done.exit_code == 0 and "IT takes mail at desk@example.com" in done.output
    db.session.expire_all()
    assert world.it.mail_address == "desk@example.com"
    assert mailboxes.all_mailboxes()["desk@example.com"].service_id == world.laptop.id
    for args, words in [
        (["nowhere", "x@example.com"], "No department 'nowhere'."),
        (["it", "x@example.com", "--service", "nope"], "IT has no service 'nope'."),
        (["it", "not an address"], "must have an @-sign"),
    ]:
        refused = runner.invoke(args=["mail", "address", *args])
        assert refused.exit_code != 0 and words in refused.output


def test_an_html_only_mail_keeps_its_inline_images_as_named_attachments(desk):
    """Outlook's pasted screenshot: HTML only, the image inline by Content-ID, no file name."""
    message = EmailMessage()
    message["From"] = "Erin Requester <erin@example.com>"
    message["To"] = "it-help@example.com"
    message["Subject"] = "Error on the VPN client"
    message["Message-ID"] = "<outlook.1@client.example.com>"
    message.set_content(
        '<p>This appears <b>every</b> morning:</p><p><img src="cid:image001.png@01DA4B"></p>',
        subtype="html",
    )
    message.add_related(PNG, maintype="image", subtype="png", cid="<image001.png@01DA4B>")
    message.add_related(PNG, maintype="image", subtype="png")  # no Content-ID either
    assert take(message.as_bytes()).outcome is InboundOutcome.CREATED
    sr = the_request()
    assert sr.description == "This appears every morning:"
    names = sorted(f.filename for f in db.session.scalars(select(RequestAttachment)))
    assert names == ["image-2.png", "image001.png"]
