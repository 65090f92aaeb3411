"""Service requests: submission, forms, lifecycle, clocks, permissions, queues."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal import sla
from portal.core.errors import Refused
from portal.extensions import db
from portal.models import (
    EventKind,
    Membership,
    MembershipRole,
    OutboxMessage,
    Priority,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
    Service,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks
from portal.service_requests.services import access, conversation, jobs, lifecycle, promises, queues
from tests import factories
from tests.statements import count_statements, sent_statements

# Monday 2026-11-16 10:00 London (GMT): the desk is open 09:00-17:00 on weekdays.
MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def desk(it_desk):
    world = it_desk  # tests/worlds.py: 09:00-17:00, normal 4 h / 16 h, urgent 30 min / 4 h
    service = world.laptop
    factories.make_field(
        service, "model", "choice", label="Which laptop?", options=["Standard", "Performance"]
    )
    factories.make_field(service, "needed_by", "date", label="Needed by")
    factories.make_field(service, "for_new_starter", "yes_no", label="Is it for a new starter?")
    factories.make_field(
        service,
        "starter",
        "person",
        label="Who is starting?",
        show_when_key="for_new_starter",
        show_when_value="yes",
    )
    factories.make_field(
        service, "count", "number", label="How many", required=False, min_value=1, max_value=20
    )
    factories.make_field(service, "contact", "email", label="Contact e-mail", required=False)
    factories.make_field(
        service, "extras", "multi_choice", label="Extras", required=False, options=["Bag", "Mouse"]
    )
    factories.make_field(service, "notes", "long_text", label="Anything else", required=False)
    factories.make_field(service, "receipt", "file", label="Quote", required=False)
    return world  # desk["agent"] is Ivan, desk["manager"] Iris, desk["requester"] Erin


def form_url(desk):
    return f"/d/{desk['department'].slug}/{desk['service'].slug}/request"


def valid_form(**changes):
    data = {
        "title": "Laptop for Sam",
        "description": "Sam starts on Monday.",
        "priority": "normal",
        "f_model": "Standard",
        "f_needed_by": (date.today() + timedelta(days=30)).isoformat(),  # ahead, any day
        "f_for_new_starter": "no",
        "f_count": "",
        "f_contact": "",
        "f_notes": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_form(client, csrf, desk, htmx=False, **changes):
    page = client.get(form_url(desk)).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf(form_url(desk)), "form_token": token, **valid_form(**changes)}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(form_url(desk), data=data, headers=headers), data


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# Submission -----------------------------------------------------------------------------


def test_a_submitted_request_gets_a_key_an_event_due_times_and_outbox_mail(desk):
    sr = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    assert sr.key == "IT-1" and sr.status is RequestStatus.NEW
    assert sr.first_response_target == 240 and sr.resolution_target == 960
    assert sr.due_at.astimezone(UTC) == datetime(
        2026, 11, 16, 14, 0, tzinfo=UTC
    )  # 4 business hours
    assert sr.at_risk_at.astimezone(UTC) == datetime(2026, 11, 16, 13, 0, tzinfo=UTC)  # 75 %
    assert (
        count(
            RequestEvent, RequestEvent.request_id == sr.id, RequestEvent.kind == EventKind.CREATED
        )
        == 1
    )
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {"erin@example.com", "ivan@example.com", "iris@example.com"}
    second = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    assert second.key == "IT-2"


def test_the_same_form_token_makes_one_request(desk):
    first = factories.make_request(desk["service"], desk["requester"], form_token="same-token")
    again = factories.make_request(desk["service"], desk["requester"], form_token="same-token")
    assert first.id == again.id
    assert count(ServiceRequest) == 1


def test_parallel_submissions_get_unique_keys(app, desk):
    service_id, requester_id = desk["service"].id, desk["requester"].id
    errors: list[BaseException] = []

    def submit(worker: int) -> None:
        with app.app_context():
            try:
                service = db.session.get(Service, service_id)
                requester = db.session.get(User, requester_id)
                for n in range(5):
                    factories.make_request(service, requester, form_token=f"w{worker}-{n}")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    db.session.rollback()  # end this thread's read snapshot
    keys = list(db.session.scalars(select(ServiceRequest.key)))
    assert len(keys) == 30 and len(set(keys)) == 30
    assert sorted(int(k.split("-")[1]) for k in keys) == list(range(1, 31))


def test_form_page_and_plain_post_redirect_to_the_request(client, login, csrf, desk):
    login(desk["requester"])
    page = client.get(form_url(desk))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Which laptop?" in html and "IT replies within" in html
    response, _ = post_form(client, csrf, desk)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/requests/IT-1?sent=1")
    detail = client.get("/requests/IT-1").get_data(as_text=True)
    assert "Laptop for Sam" in detail and "Which laptop?" in detail and "Standard" in detail


def test_htmx_submit_swaps_in_the_confirmation(client, login, csrf, desk):
    login(desk["requester"])
    response, _ = post_form(client, csrf, desk, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body
    assert "Request IT-1 sent" in body and "First reply by" in body
    assert "requestSubmitted" in response.headers["HX-Trigger"]
    assert response.vary and "HX-Request" in response.headers["Vary"]


def test_a_double_post_of_the_same_form_makes_one_request(client, login, csrf, desk):
    login(desk["requester"])
    first, data = post_form(client, csrf, desk)
    second = client.post(form_url(desk), data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(ServiceRequest) == 1


def test_the_form_opens_inline_as_a_fragment(client, login, desk):
    login(desk["requester"])
    response = client.get(form_url(desk), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="request-form-panel"' in body and "form_token" in body


NUL = "abc\x00def"
SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Enter a short summary"),
        ("title", "x" * 201, "200 characters or fewer"),
        ("title", NUL, "control character"),
        ("description", "", "Describe what you need"),
        ("description", "y" * 10_001, "10,000 characters"),
        ("f_model", "", "Select which laptop"),
        ("f_model", "Gaming rig", "from the list"),
        ("f_model", SCRIPT, "from the list"),
        ("f_needed_by", "", "Enter needed by"),
        ("f_needed_by", "2026-02-30", "real date"),
        ("f_needed_by", "tomorrow", "real date"),
        ("f_needed_by", SCRIPT, "real date"),
        ("f_needed_by", "9999-12-31", "between 1900 and 2200"),
        ("f_for_new_starter", "maybe", "from the list"),
        ("f_count", "0", "1 or more"),
        ("f_count", "21", "20 or less"),
        ("f_count", "1e400", "must be a number"),
        ("f_count", "NaN", "must be a number"),
        ("f_count", SCRIPT, "must be a number"),
        ("f_count", "1" * 50, "must be a number"),
        ("f_contact", "not-an-address", "e-mail address"),
        ("f_contact", SCRIPT, "e-mail address"),
        ("f_contact", "a@b.co" + "x" * 260, "254 characters"),
        ("f_extras", "Laser", "from the list"),
        ("f_notes", "z" * 5001, "5,000 characters"),
        ("f_notes", NUL, "control character"),
        ("on_behalf_of", "nobody@example.com", "could not find “nobody@example.com”"),
        ("on_behalf_of", SCRIPT, "could not find “&lt;script&gt;"),
        ("priority", "critical", "Not a valid choice"),
    ],
)
def test_bad_input_gets_422_with_its_message_and_the_rest_kept(
    client, login, csrf, desk, field, value, message
):
    login(desk["requester"])
    response, _ = post_form(client, csrf, desk, htmx=True, **{field: value})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in body
    assert message in body
    assert 'value="Laptop for Sam"' in body or field == "title"  # other input kept
    assert "Sam starts on Monday." in body or field == "description"
    assert "<script>alert(1)</script>" not in body  # nothing comes back unescaped
    assert count(ServiceRequest) == 0


def test_a_conditional_question_counts_only_when_shown(client, login, csrf, desk):
    login(desk["requester"])
    hidden, _ = post_form(client, csrf, desk, f_for_new_starter="no", f_starter="bogus")
    assert hidden.status_code == 303  # not shown: not validated, not kept
    sr = db.session.scalar(select(ServiceRequest))
    assert "starter" not in {a["key"] for a in sr.answers}
    shown, _ = post_form(client, csrf, desk, f_for_new_starter="yes", f_starter="")
    assert shown.status_code == 422 and "Choose who is starting" in shown.get_data(as_text=True)
    ok, _ = post_form(client, csrf, desk, f_for_new_starter="yes", f_starter="ivan@example.com")
    assert ok.status_code == 303
    latest = db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id.desc())).first()
    starter = next(a for a in latest.answers if a["key"] == "starter")
    assert starter["display"].startswith("Ivan Agent")


def test_forged_fields_in_the_post_change_nothing(client, login, csrf, desk, make_department):
    other = make_department(slug="hr", key_prefix="HR")
    login(desk["requester"])
    response, _ = post_form(
        client,
        csrf,
        desk,
        status="resolved",
        requester_id=str(desk["agent"].id),
        department_id=str(other.id),
        filed_by_id=str(desk["agent"].id),
        assignee_id=str(desk["agent"].id),
    )
    assert response.status_code == 303
    sr = db.session.scalar(select(ServiceRequest))
    assert sr.status is RequestStatus.NEW
    assert sr.requester_id == sr.filed_by_id == desk["requester"].id
    assert sr.department_id == desk["department"].id and sr.assignee_id is None


def test_on_behalf_of_records_who_filed_it(client, login, csrf, desk, make_user):
    colleague = make_user(email="sam@example.com", name="Sam New")
    login(desk["requester"])
    response, _ = post_form(client, csrf, desk, on_behalf_of="sam@example.com")
    assert response.status_code == 303
    sr = db.session.scalar(select(ServiceRequest))
    assert sr.requester_id == colleague.id and sr.filed_by_id == desk["requester"].id
    login(colleague)
    assert client.get(f"/requests/{sr.key}").status_code == 200


def test_a_field_validates_on_its_own_as_a_fragment(client, login, csrf, desk):
    login(desk["requester"])
    url = form_url(desk) + "/check"
    data = {"csrf_token": csrf(form_url(desk)), **valid_form(f_count="99")}
    response = client.post(
        url, data=data, headers={"HX-Request": "true", "HX-Trigger-Name": "f_count"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in body
    assert 'id="slot-f_count"' in body and "20 or less" in body and 'value="99"' in body
    fine = client.post(
        url,
        data={**data, "f_count": "3"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "f_count"},
    )
    assert fine.status_code == 200 and "field__error" not in fine.get_data(as_text=True)


def test_the_form_says_when_the_department_is_closed(desk):
    saturday = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    preview = promises.due_preview(desk["service"], Priority.NORMAL, now=saturday)
    assert preview.is_open_now is False
    assert preview.next_opening == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert preview.first_response_due == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


def test_a_post_without_csrf_is_refused(client, login, desk):
    login(desk["requester"])
    response = client.post(form_url(desk), data=valid_form(form_token="t"))
    assert response.status_code == 400
    assert count(ServiceRequest) == 0


# Lifecycle and clocks -------------------------------------------------------------------


def test_first_reply_stops_the_clock_within_promise_and_waiting_pauses(desk):
    sr = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    agent = desk["agent"]
    lifecycle.pick_up(sr, agent, sr.version, now=MONDAY_10 + timedelta(minutes=30))
    assert sr.status is RequestStatus.IN_PROGRESS and sr.assignee_id == agent.id
    conversation.reply(sr, agent, "On it", now=MONDAY_10 + timedelta(hours=2, minutes=10))
    measured = clocks.request_clocks(sr, now=MONDAY_10 + timedelta(hours=3))
    assert measured.first_response.state is sla.ClockState.MET
    assert measured.first_response.elapsed_minutes == 130
    words = clocks.clock_words(measured.first_response, 480, for_requester=True, name="First reply")
    assert words == (
        "First reply 2 business hours and 10 business minutes — within the 4 business hours promise"
    )

    lifecycle.change_status(
        sr, agent, RequestStatus.WAITING, sr.version, now=MONDAY_10 + timedelta(hours=3)
    )
    paused = clocks.request_clocks(sr, now=MONDAY_10 + timedelta(hours=5))
    assert paused.resolution.state is sla.ClockState.PAUSED
    assert sr.due_at is None  # nothing is due while we wait
    assert clocks.clock_words(paused.resolution, 480, for_requester=True, name="Resolution") == (
        "Paused while we wait for you"
    )
    # The requester answers the next day: the wait did not count.
    conversation.reply(sr, desk["requester"], "Here it is", now=MONDAY_10 + timedelta(days=1))
    assert sr.status is RequestStatus.IN_PROGRESS
    resumed = clocks.request_clocks(sr, now=MONDAY_10 + timedelta(days=1))
    assert resumed.resolution.elapsed_minutes == 180  # 10:00-13:00 Monday only
    assert resumed.resolution.state is sla.ClockState.ON_TRACK


def test_the_requester_confirms_or_reopens_within_ten_business_days(desk):
    sr = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    lifecycle.change_status(
        sr, desk["agent"], RequestStatus.RESOLVED, sr.version, now=MONDAY_10 + timedelta(hours=1)
    )
    assert sr.resolved_at is not None and sr.first_response_at is not None
    lifecycle.reopen(
        sr, desk["requester"], "Still broken", sr.version, now=MONDAY_10 + timedelta(days=3)
    )
    assert sr.status is RequestStatus.IN_PROGRESS and sr.resolved_at is None
    lifecycle.change_status(
        sr, desk["agent"], RequestStatus.RESOLVED, sr.version, now=MONDAY_10 + timedelta(days=4)
    )
    with pytest.raises(Refused, match="within 10 business days"):
        lifecycle.reopen(sr, desk["requester"], "", sr.version, now=MONDAY_10 + timedelta(days=20))
    lifecycle.confirm(sr, desk["requester"], sr.version, now=MONDAY_10 + timedelta(days=5))
    assert sr.status is RequestStatus.CLOSED


def test_autoclose_closes_after_five_business_days_once(desk):
    sr = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    lifecycle.change_status(
        sr, desk["agent"], RequestStatus.RESOLVED, sr.version, now=MONDAY_10 + timedelta(hours=1)
    )
    assert jobs.autoclose(now=MONDAY_10 + timedelta(days=4)) == 0  # Friday: 4 business days
    assert jobs.autoclose(now=MONDAY_10 + timedelta(days=7, hours=1)) == 1  # next Monday
    assert jobs.autoclose(now=MONDAY_10 + timedelta(days=8)) == 0
    db.session.refresh(sr)
    assert sr.status is RequestStatus.CLOSED
    closes = count(
        RequestEvent, RequestEvent.request_id == sr.id, RequestEvent.to_value == "closed"
    )
    assert closes == 1


def test_a_change_from_an_old_version_says_who_changed_it_and_keeps_the_text(
    client, login, csrf, desk
):
    sr = factories.make_request(desk["service"], desk["requester"])
    old_version = sr.version
    lifecycle.pick_up(sr, desk["manager"], old_version)
    login(desk["agent"])
    response = client.post(
        f"/requests/{sr.key}/change",
        data={
            "csrf_token": csrf(f"/requests/{sr.key}"),
            "version": old_version,
            "status": "waiting",
            "message": "Which model?",
        },
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "<html" not in body
    assert "Iris Manager changed this request meanwhile" in body
    assert "Which model?" in body
    db.session.refresh(sr)
    assert sr.status is RequestStatus.IN_PROGRESS


def test_managers_assign_agents_pick_up_for_themselves_only(desk, make_user):
    sr = factories.make_request(desk["service"], desk["requester"])
    with pytest.raises(Refused):
        lifecycle.assign(sr, desk["agent"], desk["manager"], sr.version)
    lifecycle.assign(sr, desk["manager"], desk["agent"], sr.version)
    assert sr.assignee_id == desk["agent"].id
    outsider = make_user()
    with pytest.raises(Refused):
        lifecycle.assign(sr, desk["manager"], outsider, sr.version)


def test_a_transfer_keeps_key_and_history(desk, make_department, make_user):
    hr = make_department(slug="hr", name="HR", key_prefix="HR")
    hr_agent = make_user(roles={hr: "agent"})
    sr = factories.make_request(desk["service"], desk["requester"])
    lifecycle.transfer(sr, desk["agent"], hr, sr.version)
    assert sr.key == "IT-1" and sr.department_id == hr.id
    assert access.can_view(hr_agent, sr) and not access.can_view(desk["agent"], sr)
    moved = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == EventKind.DEPARTMENT))
    assert (moved.from_value, moved.to_value) == ("it", "hr")


def test_a_transfer_into_a_department_with_the_same_number_keeps_both(
    desk, make_department, make_service
):
    hr = make_department(slug="hr", name="HR", key_prefix="HR")
    hr_own = factories.make_request(make_service(hr), desk["requester"])
    moved = factories.make_request(desk["service"], desk["requester"])
    assert (hr_own.key, hr_own.number, moved.key, moved.number) == ("HR-1", 1, "IT-1", 1)
    lifecycle.transfer(moved, desk["agent"], hr, moved.version)
    assert moved.key == "IT-1" and moved.department_id == hr.id and moved.number == 2
    next_in_hr = factories.make_request(make_service(hr), desk["requester"])
    assert next_in_hr.key == "HR-3"


# Permissions ----------------------------------------------------------------------------


def test_requests_are_404_to_anyone_who_may_not_see_them(
    client, login, desk, make_user, make_department
):
    sr = factories.make_request(desk["service"], desk["requester"])
    conversation.add_note(sr, desk["agent"], "Internal: suspect a supplier delay")
    other_department = make_department(slug="finance", key_prefix="FIN")
    stranger_agent = make_user(roles={other_department: "agent"})
    for person in (make_user(), stranger_agent):
        login(person)
        assert client.get(f"/requests/{sr.key}").status_code == 404
        assert client.get(f"/requests/{sr.key}", headers={"HX-Request": "true"}).status_code == 404
        assert client.get("/queue/it").status_code == 404
    login(make_user(is_admin=True))
    assert client.get(f"/requests/{sr.key}").status_code == 200


@pytest.mark.parametrize(
    "key",
    [
        "IT-999999",
        "IT--1",
        "IT-0",
        "IT-99999999999999999999",
        "it-1",
        "FIN-1",
        "x" * 300,
        "IT-1%00",
    ],
)
def test_unknown_negative_or_huge_keys_are_404(client, login, desk, key):
    factories.make_request(desk["service"], desk["requester"])
    login(desk["agent"])
    assert client.get(f"/requests/{key}").status_code == 404


def test_internal_notes_never_reach_the_requester(client, login, csrf, desk):
    sr = factories.make_request(desk["service"], desk["requester"])
    conversation.add_note(sr, desk["agent"], "SECRET-NOTE about the requester")
    conversation.reply(sr, desk["agent"], "Public answer")
    login(desk["requester"])
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert "Public answer" in page and "SECRET-NOTE" not in page
    fragment = client.post(
        f"/requests/{sr.key}/reply",
        data={"csrf_token": csrf(f"/requests/{sr.key}"), "body": "Thanks", "internal": "0"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "Thanks" in fragment and "SECRET-NOTE" not in fragment
    mail = " ".join(db.session.scalars(select(OutboxMessage.body)))
    assert "Public answer" in mail and "SECRET-NOTE" not in mail
    # A requester cannot post an internal note either.
    forged = client.post(
        f"/requests/{sr.key}/reply",
        data={"csrf_token": csrf(f"/requests/{sr.key}"), "body": "sneaky", "internal": "1"},
    )
    assert forged.status_code == 404
    login(desk["agent"])
    assert "SECRET-NOTE" in client.get(f"/requests/{sr.key}").get_data(as_text=True)


def test_requester_cannot_change_status_or_priority(client, login, csrf, desk):
    sr = factories.make_request(desk["service"], desk["requester"])
    login(desk["requester"])
    for data in (
        {"status": "resolved"},
        {"priority": "urgent"},
        {"assignee": str(desk["requester"].id)},
    ):
        response = client.post(
            f"/requests/{sr.key}/change",
            data={"csrf_token": csrf(f"/requests/{sr.key}"), "version": sr.version, **data},
        )
        assert response.status_code == 404
    db.session.refresh(sr)
    assert (
        sr.status is RequestStatus.NEW and sr.priority is Priority.NORMAL and sr.assignee_id is None
    )


def test_htmx_reply_appears_without_reload(client, login, csrf, desk):
    sr = factories.make_request(desk["service"], desk["requester"])
    login(desk["agent"])
    response = client.post(
        f"/requests/{sr.key}/reply",
        data={
            "csrf_token": csrf(f"/requests/{sr.key}"),
            "body": "Ordered, arriving Thursday",
            "internal": "0",
        },
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Ordered, arriving Thursday" in body and "Reply sent." in body
    assert "requestChanged" in response.headers["HX-Trigger"]
    empty = client.post(
        f"/requests/{sr.key}/reply",
        data={"csrf_token": csrf(f"/requests/{sr.key}"), "body": "  ", "internal": "0"},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and "Write your reply first." in empty.get_data(as_text=True)


# Attachments ----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post_with_file(client, csrf, desk, filename, content):
    import io

    page = client.get(form_url(desk)).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf(form_url(desk)), "form_token": token, **valid_form()}
    data["f_receipt"] = (io.BytesIO(content), filename)
    return client.post(form_url(desk), data=data, content_type="multipart/form-data")


def test_an_attachment_is_served_only_to_viewers_as_a_download(
    app, client, login, csrf, desk, make_user, tmp_path
):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    login(desk["requester"])
    response = post_with_file(client, csrf, desk, "../../quote.pdf", PDF)
    assert response.status_code == 303
    attachment = db.session.scalar(select(RequestAttachment))
    assert attachment.filename == "quote.pdf" and attachment.content_type == "application/pdf"
    assert (tmp_path / attachment.storage_name).read_bytes() == PDF
    url = f"/requests/IT-1/files/{attachment.id}"
    with client.get(url) as download:
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.get_data() == PDF
    login(make_user())
    assert client.get(url).status_code == 404
    login(desk["requester"])
    assert client.get("/requests/IT-1/files/999999").status_code == 404
    assert client.get("/requests/IT-1/files/99999999999999").status_code == 404


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("invoice.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "must be a PDF"),
        ("empty.pdf", b"", "file is empty"),
    ],
)
def test_attachments_are_checked_on_their_content(
    app, client, login, csrf, desk, tmp_path, filename, content, message
):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    login(desk["requester"])
    response = post_with_file(client, csrf, desk, filename, content)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(ServiceRequest) == 0 and not list(tmp_path.iterdir())


def test_an_oversized_attachment_is_refused_with_a_message(
    app, client, login, csrf, desk, tmp_path
):
    app.config.update(ATTACHMENT_DIR=str(tmp_path), ATTACHMENT_MAX_BYTES=1024)
    login(desk["requester"])
    response = post_with_file(client, csrf, desk, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 422 and "smaller than" in response.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        too_big = post_with_file(client, csrf, desk, "huge.pdf", PDF + b"0" * 8192)
        assert too_big.status_code == 413 and "too large" in too_big.get_data(as_text=True)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 32 * 1024 * 1024


# Queues and my requests -----------------------------------------------------------------


def test_a_queue_page_chooses_its_requests_before_joining_their_people(desk):
    """The page's rows are chosen from the requests alone (ordered, limited) and only those
    are joined to the requester, the guest row and the assignee: PostgreSQL joined every
    open request of a busy department before it sorted and kept 51."""
    assignee = desk["agent"]
    for n in range(3):
        sr = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
        if n == 0:
            lifecycle.assign(sr, assignee, assignee, sr.version, now=MONDAY_10)
    later = MONDAY_10 + timedelta(minutes=5)
    with sent_statements() as sent:
        page = queues.queue(desk["department"], assignee, queues.QueueFilters(), now=later)
    parts = [" ".join(sql.split()) for sql, _ in sent if "requester_name" in sql]
    assert len(parts) == 2  # what is due, then what has no due time
    for flat in parts:
        limited = flat.index(") AS page")
        assert "LIMIT" in flat[:limited] and "JOIN" not in flat[:limited]
        assert flat.index("JOIN user_account AS requester") > limited
    assert {row.requester_name for row in page.rows} == {desk["requester"].name}
    assert sorted(row.assignee_name or "" for row in page.rows) == ["", "", assignee.name]


def test_the_queue_sorts_by_nearest_due_counts_tabs_and_pages_without_repeats(
    client, login, desk, monkeypatch
):
    monkeypatch.setattr(queues, "QUEUE_PAGE_SIZE", 3)
    made = []
    for n, priority in enumerate(
        [Priority.NORMAL, Priority.URGENT, Priority.NORMAL, Priority.URGENT, Priority.NORMAL]
    ):
        made.append(
            factories.make_request(
                desk["service"],
                desk["requester"],
                priority=priority,
                now=MONDAY_10 + timedelta(minutes=n),
            )
        )
    waiting = factories.make_request(desk["service"], desk["requester"], now=MONDAY_10)
    lifecycle.change_status(
        waiting, desk["agent"], RequestStatus.WAITING, waiting.version, now=MONDAY_10
    )
    assert waiting.due_at is None
    now = MONDAY_10 + timedelta(minutes=20)
    first = queues.queue(desk["department"], desk["agent"], queues.QueueFilters(), now=now)
    assert first.counts["open"] == 6 and first.counts["new"] == 5
    assert first.counts["waiting"] == 1
    assert [sr.priority for sr in first.rows[:2]] == [Priority.URGENT, Priority.URGENT]
    second = queues.queue(
        desk["department"], desk["agent"], queues.QueueFilters(after=first.next_cursor), now=now
    )
    keys = [sr.key for sr in first.rows + second.rows]
    assert len(keys) == 6 == len(set(keys)) and second.next_cursor is None
    assert keys[-1] == waiting.key  # nothing due: last
    due = [sr.due_at for sr in first.rows + second.rows][:-1]
    assert due == sorted(due)
    at_risk_now = MONDAY_10 + timedelta(minutes=25)  # urgent: 30 min target, 75 % at 22.5 min
    risky = queues.queue(
        desk["department"], desk["agent"], queues.QueueFilters(tab="at-risk"), now=at_risk_now
    )
    assert {sr.priority for sr in risky.rows} == {Priority.URGENT}
    late = queues.queue(
        desk["department"],
        desk["agent"],
        queues.QueueFilters(tab="breached"),
        now=MONDAY_10 + timedelta(hours=1),
    )
    assert late.counts["breached"] == 2
    login(desk["agent"])
    page = client.get("/queue/it?tab=new")
    assert page.status_code == 200 and "IT-2" in page.get_data(as_text=True)
    fragment = client.get(
        f"/queue/it?tab=new&after={first.next_cursor}", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert client.get("/queue/it?tab=bogus&after=%%%&priority=nope&assignee=-5").status_code == 200


def test_my_requests_lists_mine_and_those_filed_for_me(client, login, desk, make_user):
    colleague = make_user()
    factories.make_request(desk["service"], desk["requester"], title="Mine")
    factories.make_request(desk["service"], colleague, title="Theirs")
    login(desk["requester"])
    body = client.get("/requests/mine").get_data(as_text=True)
    assert "Mine" in body and "Theirs" not in body
    assert client.get("/requests/mine?before=-1").status_code == 200
    assert client.get("/requests/mine?before=999999999999999").status_code == 200


def test_members_get_a_queue_link_in_the_header(client, login, desk):
    login(desk["agent"])
    assert 'href="/queue/it"' in client.get("/requests/mine").get_data(as_text=True)
    login(desk["requester"])
    assert 'href="/queue/it"' not in client.get("/requests/mine").get_data(as_text=True)


def test_the_headers_departments_come_with_the_person_from_their_session(client, login, desk):
    """The header's queue links are read with the signed-in person, in one statement: the
    active departments they work in, by name, and no department wound down."""
    closed = factories.make_department(name="Archive desk", slug="archive", active=False)
    db.session.add(
        Membership(user_id=desk["agent"].id, department_id=closed.id, role=MembershipRole.MANAGER)
    )
    db.session.commit()
    login(desk["agent"])
    client.get("/requests/mine")
    with count_statements() as statements:
        body = client.get("/requests/mine").get_data(as_text=True)
    assert 'href="/queue/it"' in body and 'href="/queue/archive"' not in body
    assert [s for s in statements if "department_membership" in s] == [statements[0]]
    assert "user_account" in statements[0]


def test_scan_tells_the_department_once_when_a_clock_breaches(desk):
    sr = factories.make_request(
        desk["service"], desk["requester"], priority=Priority.URGENT, now=MONDAY_10
    )
    before = count(OutboxMessage)
    assert jobs.scan_alerts(now=MONDAY_10 + timedelta(minutes=25)) == 1  # at risk
    assert jobs.scan_alerts(now=MONDAY_10 + timedelta(minutes=26)) == 0
    assert jobs.scan_alerts(now=MONDAY_10 + timedelta(minutes=45)) == 1  # breached
    assert jobs.scan_alerts(now=MONDAY_10 + timedelta(minutes=50)) == 0
    subjects = list(
        db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.id > before))
    )
    assert any("at risk" in s for s in subjects) and any("breached" in s for s in subjects)
    assert all(sr.key in s for s in subjects)


def test_the_cron_commands_close_and_scan(runner, desk):
    month_ago = datetime.now(UTC) - timedelta(days=30)  # always 5+ business days
    sr = factories.make_request(desk["service"], desk["requester"], now=month_ago)
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED, sr.version, now=month_ago)
    result = runner.invoke(args=["requests", "autoclose"])
    assert result.exit_code == 0 and "Closed 1 request " in result.output
    result = runner.invoke(args=["requests", "scan"])
    assert result.exit_code == 0 and "Queued 0 at-risk or breached alerts." in result.output

