"""A reply or an internal note can carry a file: checked on its content like the request
form's, shown on its line of the timeline, served only to those who may see it (a file
on an internal note never to the requester)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.core.errors import NotFound
from portal.extensions import db
from portal.models import EventKind, RequestAttachment, RequestEvent
from portal.service_requests.services import conversation
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(app, tmp_path, worlds):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    world = worlds.it_desk(standards=None, people=("ivan", "erin"))
    world.sr = factories.make_request(world.laptop, world.erin)
    world.dir = tmp_path
    return world


def reply(client, csrf, sr, body, file=None, internal="0", htmx=True):
    data = {"csrf_token": csrf(f"/requests/{sr.key}"), "body": body, "internal": internal}
    if file is not None:
        data["attachment"] = (io.BytesIO(file[1]), file[0])
    return client.post(
        f"/requests/{sr.key}/reply",
        data=data,
        content_type="multipart/form-data",
        headers={"HX-Request": "true"} if htmx else {},
    )


def test_the_reply_form_offers_a_file_and_posts_multipart(client, login, desk):
    login(desk["erin"])
    page = client.get(f"/requests/{desk['sr'].key}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'hx-encoding="multipart/form-data"' in page
    assert 'type="file"' in page and "Attach a file" in page


def test_a_reply_with_a_file_shows_it_on_the_timeline_for_both_sides(client, login, csrf, desk):
    sr = desk["sr"]
    login(desk["agent"])
    response = reply(client, csrf, sr, "The quote is attached", ("../quote.pdf", PDF))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "The quote is attached" in body and "quote.pdf" in body
    attachment = db.session.scalar(select(RequestAttachment))
    event = db.session.get(RequestEvent, attachment.event_id)
    assert event.kind is EventKind.REPLY and not attachment.internal
    assert (desk["dir"] / attachment.storage_name).read_bytes() == PDF
    login(desk["erin"])
    assert "quote.pdf" in client.get(f"/requests/{sr.key}").get_data(as_text=True)
    with client.get(f"/requests/{sr.key}/files/{attachment.id}") as download:
        assert download.status_code == 200 and download.get_data() == PDF
        assert download.headers["Content-Disposition"].startswith("attachment")


def test_the_requester_can_attach_a_file_to_a_reply_without_javascript(client, login, csrf, desk):
    sr = desk["sr"]
    login(desk["erin"])
    response = reply(
        client, csrf, sr, "Here is the form", ("form.txt", b"Name: Erin\n"), htmx=False
    )
    assert response.status_code == 303
    attachment = db.session.scalar(select(RequestAttachment))
    assert attachment.filename == "form.txt" and attachment.content_type == "text/plain"
    assert 'form.txt</a> <span class="muted">(11 bytes)' in client.get(
        f"/requests/{sr.key}"
    ).get_data(as_text=True)


def test_a_file_on_an_internal_note_never_reaches_the_requester(client, login, csrf, desk):
    sr = desk["sr"]
    login(desk["agent"])
    response = reply(client, csrf, sr, "Supplier invoice", ("invoice.pdf", PDF), internal="1")
    assert response.status_code == 200 and "invoice.pdf" in response.get_data(as_text=True)
    attachment = db.session.scalar(select(RequestAttachment))
    assert attachment.internal
    login(desk["erin"])
    assert "invoice.pdf" not in client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert client.get(f"/requests/{sr.key}/files/{attachment.id}").status_code == 404


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "must be a PDF"),
        ("empty.pdf", b"", "file is empty"),
        ("nul.txt", b"a\x00b", "must be a PDF"),
    ],
)
def test_a_bad_file_is_refused_beside_the_field_and_the_reply_text_is_kept(
    client, login, csrf, desk, filename, content, message
):
    sr = desk["sr"]
    login(desk["agent"])
    response = reply(client, csrf, sr, "Kept <b>text</b>", (filename, content))
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert "Kept &lt;b&gt;text&lt;/b&gt;" in body and "<b>text</b>" not in body
    assert db.session.scalar(select(RequestAttachment)) is None
    assert not list(desk["dir"].iterdir())
    kinds = db.session.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == sr.id))
    assert EventKind.REPLY not in set(kinds)


def test_an_oversized_file_is_refused_with_a_message(app, client, login, csrf, desk):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    login(desk["agent"])
    response = reply(client, csrf, desk["sr"], "Big one", ("big.pdf", PDF + b"0" * 2048))
    assert response.status_code == 422 and "smaller than" in response.get_data(as_text=True)
    assert db.session.scalar(select(RequestAttachment)) is None


def test_a_note_with_a_file_stores_it_in_the_notes_transaction(desk):
    from portal.service_requests.attachments import Upload

    event = conversation.add_note(
        desk["sr"], desk["agent"], "See file", files=[Upload("a.pdf", PDF)]
    )
    [attachment] = db.session.scalars(select(RequestAttachment))
    assert attachment.event_id == event.id and attachment.internal
    with pytest.raises(NotFound):
        conversation.add_note(desk["sr"], desk["erin"], "Not mine", files=[Upload("b.pdf", PDF)])
    assert len(list(desk["dir"].iterdir())) == 1
