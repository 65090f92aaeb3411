"""Issue 15's bad input, each a test: what arrives by mail is never trusted."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.mail_in import mailboxes
from portal.mail_in.taking import take
from portal.models import (
    InboundMessage,
    InboundOutcome,
    OutboxMessage,
    RequestAttachment,
    ServiceRequest,
)
from tests import worlds
from tests.mail_messages import PNG, mail


@pytest.fixture
def desk(app):
    world = worlds.it_desk()
    mailboxes.add_address(world.it, "it-help@example.com", world.laptop)
    return world


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def the_request() -> ServiceRequest:
    return db.session.scalars(select(ServiceRequest)).one()


def raw_mail(headers: str, body: bytes) -> bytes:
    head = (
        "From: Erin Requester <erin@example.com>\r\nTo: it-help@example.com\r\n"
        f"Message-ID: <raw-{time.monotonic_ns()}@client.example.com>\r\nMIME-Version: 1.0\r\n"
    )
    return (head + headers.replace("\n", "\r\n") + "\r\n").encode("ascii") + body


def test_a_25_mb_mail_is_refused_unread_and_recorded_for_the_department(desk):
    started = time.perf_counter()
    outcome = take(mail(text="x" * 100) + b"y" * (25 * 1024 * 1024))
    assert outcome.outcome is InboundOutcome.REFUSED and outcome.reason.startswith("Too big: 25 MB")
    assert time.perf_counter() - started < 5
    assert count(ServiceRequest) == 0
    [record] = db.session.scalars(select(InboundMessage))
    assert (record.department_id, record.sender) == (desk.it.id, "erin@example.com")


def test_a_25_mb_mail_on_standard_input_is_read_through_and_refused(desk, runner):
    result = runner.invoke(args=["mail", "receive"], input=mail() + b"z" * (25 * 1024 * 1024))
    assert result.exit_code == 0 and result.output.startswith("refused")
    assert count(ServiceRequest) == 0


def test_broken_mime_is_taken_as_far_as_it_reads(desk):
    broken = raw_mail(
        'Subject: Broken\nContent-Type: multipart/mixed; boundary="never-used"\n'
        "Content-Transfer-Encoding: base64!!\nX-Garbage\n",
        b"Just text, no parts.\r\n--other\r\nContent-Type: text/plain\r\n\r\nhalf a part",
    )
    assert take(broken).outcome is InboundOutcome.CREATED
    assert the_request().title == "Broken"


@pytest.mark.parametrize(
    ("charset", "data", "expected"),
    [
        ("iso-8859-1", "Grüße aus Köln".encode("iso-8859-1"), "Grüße aus Köln"),
        ("windows-1252", "“Smart” quotes cost 5 €".encode("cp1252"), "“Smart” quotes cost 5 €"),
        ("shift_jis", "プリンターが壊れました".encode("shift_jis"), "プリンターが壊れました"),
        ("utf-7", "Ärger mit dem Drucker".encode("utf-7"), "Ärger mit dem Drucker"),
        ("iso-8859-1", "Grüße, declared wrong".encode(), "Grüße, declared wrong"),
        ("us-ascii", "naïve café".encode(), "naïve café"),
        ("x-no-such-charset", "Grüße".encode(), "Grüße"),
        ("utf-8", b"bad \xff\xfe bytes", "bad ÿþ bytes"),
    ],
)
def test_charsets_right_wrong_and_unknown_are_read(desk, charset, data, expected):
    message = raw_mail(
        f"Subject: Charset\nContent-Type: text/plain; charset={charset}\n"
        "Content-Transfer-Encoding: 8bit\n",
        data,
    )
    assert take(message).outcome is InboundOutcome.CREATED
    assert the_request().description == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("=?utf-8?B?RHJ1Y2tlciBrYXB1dHQg4pyT?=", "Drucker kaputt ✓"),
        ("=?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=", "Grüße aus Köln"),
        ("=?shift_jis?B?g3aDioOTg16BWw==?=", "プリンター"),
        ("=?bogus-charset?Q?hello?= world", "world"),
        ("=?utf-8?Q?unterminated", "unterminated"),
    ],
)
def test_encoded_word_subjects_are_decoded(desk, subject, expected):
    message = raw_mail(f"Subject: {subject}\nContent-Type: text/plain\n", b"Body")
    assert take(message).outcome is InboundOutcome.CREATED
    assert expected in the_request().title


def test_nul_bytes_and_direction_overrides_never_reach_the_database(desk):
    message = raw_mail(
        "Subject: Null\x00 here\nContent-Type: text/plain; charset=utf-8\n",
        "Before\x00after \u202eevil\u202c text".encode(),
    )
    assert take(message).outcome is InboundOutcome.CREATED
    sr = the_request()
    assert "\x00" not in sr.title + sr.description
    assert sr.description == "Beforeafter evil text"


def test_a_mail_to_5000_recipients_is_one_request_and_no_one_else_hears(desk):
    to = ", ".join(f"person{n}@example.com" for n in range(5000)) + ", it-help@example.com"
    started = time.perf_counter()
    assert take(mail(to=to)).outcome is InboundOutcome.CREATED
    assert time.perf_counter() - started < 10
    assert count(ServiceRequest) == 1
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert not any(r.startswith("person") for r in recipients)


def test_an_html_body_with_script_becomes_plain_sanitised_text(desk):
    html = (
        "<html><head><style>p{color:red}</style><script>steal()</script></head><body>"
        "<p>The <b>printer</b> &amp; scanner</p><img src=x onerror=alert(1)>"
        "<script>alert('x')</script><p>are down</p></body></html>"
    )
    assert take(mail(text=None, html=html)).outcome is InboundOutcome.CREATED
    description = the_request().description
    assert description == "The printer & scanner\nare down"
    assert "script" not in description and "alert" not in description and "<" not in description


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.bin", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_and_an_executable_are_left_out_and_named(desk):
    files = (
        ("bomb.zip", "application/zip", _zip_bomb()),
        ("setup.exe", "application/octet-stream", b"MZ\x90\x00" + b"\0" * 400),
        ("invoice.pdf.exe", "application/pdf", b"MZ\x90\x00" + b"\0" * 400),
        ("screen.png", "image/png", PNG),
    )
    assert take(mail(files=files)).outcome is InboundOutcome.CREATED
    assert [f.filename for f in db.session.scalars(select(RequestAttachment))] == ["screen.png"]
    description = the_request().description
    assert "Files in the e-mail that were not attached:" in description
    for name in ("bomb.zip", "setup.exe", "invoice.pdf.exe"):
        assert f"- {name}: The selected file must be a PDF" in description


def test_an_empty_mail_is_a_request_with_no_subject_and_no_details(desk):
    assert take(mail(subject="", text="")).outcome is InboundOutcome.CREATED
    sr = the_request()
    assert (sr.title, sr.description) == ("(no subject)", "")


def test_a_10000_character_subject_is_cut_to_the_title_limit(desk):
    assert take(mail(subject="A" * 10_000)).outcome is InboundOutcome.CREATED
    title = the_request().title
    assert len(title) == 200 and title.endswith("…")


def test_a_long_body_is_cut_to_the_forms_limit_and_says_so(desk):
    take(mail(text="word " * 5000))
    description = the_request().description
    assert len(description) <= 10_000 and description.endswith("[… the e-mail was longer]")
