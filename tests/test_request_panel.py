"""The agent's panel (issue 20 item 3): assignee, status, priority and department in one
form, each menu starting on the current value, one Save applying every change together."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from portal.core.errors import Refused
from portal.extensions import db
from portal.models import EventKind, Priority, RequestEvent, RequestStatus
from portal.service_requests.services import lifecycle, panel, recording
from portal.service_requests.services.recording import ChangedMeanwhile
from tests import factories, worlds

HX = {"HX-Request": "true"}
SELECTED = r'<option selected value="([^"]*)"'


@pytest.fixture
def desk(app):
    world = worlds.it_desk(hr=True)  # Ivan the agent, Iris the manager, Erin the employee
    world.request = factories.make_request(world.laptop, world.erin)
    return world


def events(sr) -> list[tuple[EventKind, str | None, str | None]]:
    rows = db.session.execute(
        select(RequestEvent.kind, RequestEvent.from_value, RequestEvent.to_value)
        .where(RequestEvent.request_id == sr.id, RequestEvent.kind != EventKind.CREATED)
        .order_by(RequestEvent.id)
    )
    return [tuple(row) for row in rows]


def panel_values(html: str) -> dict[str, str]:
    """What a browser sends from the panel in `html` when nothing is touched."""
    section = re.search(r'<section[^>]*id="work-panel".*?</section>', html, re.S)
    assert section, "no agent's panel on the page"
    part = section.group(0).split("work-panel__form")[1]  # the panel's form, after Pick it up
    data = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}
    for name, value in re.findall(r'<input[^>]*name="(version|was_\w+)"[^>]*value="([^"]*)"', part):
        data[name] = value
    # The assignee picker: "none" first, then the chip's checkbox when someone is assigned
    # (the empty chip in its <template> is not part of the form).
    drawn = re.sub(r"<template.*?</template>", "", part, flags=re.S)
    sent = [
        value
        for tag, value in re.findall(r'(<input[^>]*name="assignee" value="([^"]*)"[^>]*>)', drawn)
        if 'type="hidden"' in tag or " checked" in tag
    ]
    if sent:
        data["assignee"] = sent[-1].removeprefix("person-")
    for name in ("status", "priority", "department"):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', part, re.S)
        if select_html:
            data[name] = re.search(SELECTED, select_html.group(0)).group(1)
    data["message"] = re.search(r"<textarea[^>]*>(.*?)</textarea>", part, re.S).group(1).strip()
    return data


def page_form(client, sr) -> dict[str, str]:
    return panel_values(client.get(f"/requests/{sr.key}").get_data(as_text=True))


def post(client, sr, data, htmx=False):
    return client.post(f"/requests/{sr.key}/change", data=data, headers=HX if htmx else {})


# The service ----------------------------------------------------------------------------


def test_status_and_priority_in_one_save_are_two_entries_in_one_commit(desk):
    sr = desk.request
    commits = []
    session = db.session()
    record = lambda _session: commits.append(1)  # noqa: E731
    event.listen(session, "after_commit", record)
    try:
        saved = panel.save_panel(
            sr,
            desk.ivan,
            panel.PanelInput(version=sr.version, status="in_progress", priority="high"),
        )
    finally:
        event.remove(session, "after_commit", record)
    assert len(commits) == 1
    assert saved.message == "Saved. Status: in progress; Priority: high."
    db.session.refresh(sr)
    assert sr.status is RequestStatus.IN_PROGRESS and sr.priority is Priority.HIGH
    kinds = [kind for kind, *_ in events(sr)]
    # In progress assigns it to Ivan too, as the status change always has.
    assert kinds.count(EventKind.STATUS) == 1 and kinds.count(EventKind.PRIORITY) == 1
    assert (EventKind.PRIORITY, "normal", "high") in events(sr)


def test_a_step_refused_midway_leaves_the_earlier_ones_unapplied(desk, monkeypatch):
    sr = desk.request

    def refuse(*args, **kwargs):
        raise Refused("Not today.", "priority")

    monkeypatch.setattr(lifecycle, "change_priority", refuse)
    with pytest.raises(panel.PanelRefused) as refused:
        panel.save_panel(
            sr,
            desk.iris,
            panel.PanelInput(
                version=sr.version, assignee=str(desk.ivan.id), status="in_progress", priority="low"
            ),
        )
    assert refused.value.problems == {"priority": "Not today."}
    recording.discard_changes()  # what the view does with a refusal
    db.session.refresh(sr)
    assert events(sr) == [] and sr.status is RequestStatus.NEW and sr.assignee_id is None


def test_the_current_values_are_no_change_and_write_nothing(desk):
    sr = desk.request
    version = sr.version
    saved = panel.save_panel(
        sr,
        desk.ivan,
        panel.PanelInput(
            version=version, assignee="none", status="new", priority="normal", department="it"
        ),
    )
    assert saved.changes == () and saved.message.startswith("Nothing to change")
    db.session.refresh(sr)
    assert events(sr) == [] and sr.version == version


@pytest.mark.parametrize(
    ("wanted", "field", "words"),
    [
        ({"status": "sleeping"}, "status", "Choose a status from the list."),
        ({"priority": "whenever"}, "priority", "Choose a priority from the list."),
        ({"assignee": "hugo"}, "assignee", "Choose someone who works in this department."),
        ({"department": "nowhere"}, "department", "Choose a department from the list."),
        ({"status": "waiting"}, "message", "Tell the requester what you need"),
        ({"department": "hr"}, "message", "Say why it goes to HR"),
        ({"priority": "high", "message": "FYI"}, "message", "A message goes with a status"),
    ],
)
def test_each_bad_part_is_refused_beside_its_field_and_nothing_is_applied(
    desk, wanted, field, words
):
    sr = desk.request
    if wanted.get("assignee") == "hugo":  # HR's manager: not a member of IT
        wanted = {"assignee": str(worlds.person("hugo", desk.hr).id)}
    # A good change alongside the bad one is not applied either.
    wanted = {"priority": "urgent", **wanted} if "priority" not in wanted else wanted
    with pytest.raises(panel.PanelRefused) as refused:
        panel.save_panel(sr, desk.iris, panel.PanelInput(version=sr.version, **wanted))
    assert words in refused.value.problems[field]
    db.session.rollback()
    db.session.refresh(sr)
    assert events(sr) == [] and sr.priority is Priority.NORMAL and sr.department_id == desk.it.id


def test_an_inactive_department_is_no_transfer_target(desk):
    sr = desk.request
    desk.hr.active = False
    db.session.commit()
    with pytest.raises(panel.PanelRefused) as refused:
        panel.save_panel(
            sr,
            desk.ivan,
            panel.PanelInput(version=sr.version, department="hr", message="Payroll"),
        )
    assert refused.value.problems == {"department": "Choose a department from the list."}


def test_only_an_open_request_offers_departments_to_transfer_to(
    client, login, desk, make_department
):
    make_department(name="Finance", slug="finance")
    sr = desk.request
    assert [row.slug for row in lifecycle.transfer_targets(sr)] == ["finance", "hr"]
    for status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        sr.status = status
        db.session.commit()
        assert lifecycle.transfer_targets(sr) == []
        login(desk.iris)
        html = client.get(f"/requests/{sr.key}").get_data(as_text=True)
        assert 'id="work-panel"' in html
        assert 'name="department"' not in html and "Finance" not in html


def test_an_agent_assigns_only_themselves(desk):
    sr = desk.request
    with pytest.raises(panel.PanelRefused) as refused:
        panel.save_panel(
            sr, desk.ivan, panel.PanelInput(version=sr.version, assignee=str(desk.iris.id))
        )
    assert "Only a manager" in refused.value.problems["assignee"]
    saved = panel.save_panel(
        sr, desk.ivan, panel.PanelInput(version=sr.version, assignee=str(desk.ivan.id))
    )
    assert saved.changes == (f"Assigned to {desk.ivan.name}",)
    assert sr.assignee_id == desk.ivan.id


def test_a_stale_form_applies_nothing(desk):
    sr = desk.request
    old = sr.version
    lifecycle.pick_up(sr, desk.iris, old)
    with pytest.raises(ChangedMeanwhile):
        panel.save_panel(sr, desk.ivan, panel.PanelInput(version=old, priority="low"))
    db.session.rollback()
    db.session.refresh(sr)
    assert sr.priority is Priority.NORMAL


def test_a_transfer_with_its_reason_and_a_status_in_one_save(desk):
    sr = desk.request
    saved = panel.save_panel(
        sr,
        desk.ivan,
        panel.PanelInput(version=sr.version, department="hr", message="Payroll question"),
    )
    assert not saved.still_visible and saved.left_department == "it"
    moved = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == EventKind.DEPARTMENT))
    assert (moved.from_value, moved.to_value, moved.body) == ("it", "hr", "Payroll question")


def test_waiting_with_its_message_sends_it_as_the_reply(desk):
    sr = desk.request
    panel.save_panel(
        sr,
        desk.ivan,
        panel.PanelInput(version=sr.version, status="waiting", message="Which model?"),
    )
    reply = db.session.scalar(select(RequestEvent).where(RequestEvent.kind == EventKind.REPLY))
    assert reply.body == "Which model?" and not reply.internal
    assert sr.status is RequestStatus.WAITING


# The page and the route ------------------------------------------------------------------


def test_every_menu_starts_on_the_current_value_and_there_is_one_save(client, login, desk):
    login(desk.iris)
    html = client.get(f"/requests/{desk.request.key}").get_data(as_text=True)
    assert html.count("Save changes") == 1
    for old_label in ("Update status", "Change priority", ">Assign<", ">Transfer<"):
        assert old_label not in html
    data = page_form(client, desk.request)
    assert (data["assignee"], data["status"], data["priority"], data["department"]) == (
        "none",
        "new",
        "normal",
        "it",
    )


def test_an_untouched_save_says_nothing_to_change(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr)
    plain = post(client, sr, data)
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"/requests/{sr.key}")
    after = client.get(plain.headers["Location"]).get_data(as_text=True)
    assert "Nothing to change" in after
    fragment = post(client, sr, data, htmx=True)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert "Nothing to change" in body and "notice--ok" in body
    assert events(sr) == []


def test_htmx_save_answers_with_panel_timeline_and_notice(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"status": "in_progress", "priority": "high"}
    response = post(client, sr, data, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "requestChanged" in response.headers["HX-Trigger"]
    assert "HX-Request" in response.headers["Vary"]
    assert 'id="work-panel"' in body and "data-focus-after-swap" in body
    assert 'id="panel-notice" role="status"' in body
    assert 'id="request-timeline" hx-swap-oob="true"' in body
    assert 'id="request-status" hx-swap-oob="true"' in body
    assert "Saved. Status: in progress; Priority: high." in body
    assert "changed the priority from" in body
    # The panel starts again on the new values.
    assert '<option selected value="in_progress">' in body


def test_a_plain_save_redirects_back_with_the_notice(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"priority": "urgent"}
    response = post(client, sr, data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. Priority: urgent." in page


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"status": "sleeping"}, "Choose a status from the list."),
        ({"priority": "whenever"}, "Choose a priority from the list."),
        ({"assignee": "99999"}, "Choose someone who works in this department."),
        ({"department": "nowhere"}, "Choose a department from the list."),
        ({"status": "waiting"}, "Tell the requester what you need from them"),
        ({"department": "hr"}, "Say why it goes to HR"),
    ],
)
def test_bad_input_is_422_beside_the_field_and_keeps_the_rest(client, login, desk, change, words):
    sr = desk.request
    login(desk.iris)
    data = page_form(client, sr) | {"priority": "urgent", "message": ""} | change
    if "priority" not in change:
        data["priority"] = "urgent"
    for htmx in (True, False):
        response = post(client, sr, data, htmx=htmx)
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert ("<html" in body) is not htmx
        assert 'class="field__error"' in body and words in body
        assert "There is a problem" in body
        if "priority" not in change:  # what was chosen stays chosen
            assert '<option selected value="urgent">' in body
        if "department" in change:  # the menu, drawn by the field macro's own loop
            menu = re.search(r'<select[^>]*name="department"[^>]*>.*?</select>', body, re.S)
            wrong = change["department"] == "nowhere"
            assert menu.group(0).startswith(
                '<select aria-describedby="department-hint'
                + (' department-error" aria-invalid="true"' if wrong else '" aria-invalid="false"')
                + ' class="input" id="department" name="department">'
                '<option value="it">IT (stays here)</option>'
            )
            assert re.findall(SELECTED, menu.group(0)) == ([] if wrong else ["hr"])
    db.session.refresh(sr)
    assert events(sr) == [] and sr.priority is Priority.NORMAL


def test_the_typed_message_stays_after_a_refusal(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"priority": "high", "message": "Kept words"}
    response = post(client, sr, data, htmx=True)
    assert response.status_code == 422 and "Kept words" in response.get_data(as_text=True)


def test_a_transfer_out_of_sight_goes_to_the_queue(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"department": "hr", "message": "Payroll"}
    response = post(client, sr, data, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/queue/it"
    assert events(sr) == [(EventKind.DEPARTMENT, "it", "hr")]


def test_without_a_csrf_token_nothing_changes(client, login, desk):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"priority": "urgent"}
    del data["csrf_token"]
    assert post(client, sr, data).status_code in (400, 422)
    db.session.refresh(sr)
    assert sr.priority is Priority.NORMAL


def test_people_who_do_not_work_here_get_404_and_no_panel(client, login, desk, make_user):
    sr = desk.request
    for person in (desk.erin, make_user(), worlds.person("hugo", desk.hr)):
        login(person)
        page = client.get(f"/requests/{sr.key}")
        assert 'id="work-panel"' not in page.get_data(as_text=True)
        response = post(
            client, sr, {"version": sr.version, "status": "resolved", "priority": "urgent"}
        )
        assert response.status_code in (400, 404)  # no token: refused before it is read
    login(desk.erin)
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = post(client, sr, {"csrf_token": token, "version": sr.version, "priority": "urgent"})
    assert response.status_code == 404
    db.session.refresh(sr)
    assert events(sr) == [] and db.session.scalar(select(func.count()).select_from(RequestEvent))


def test_a_stale_form_shows_the_timeline_keeps_the_choice_and_saves_on_the_next_try(
    client, login, desk
):
    sr = desk.request
    login(desk.ivan)
    data = page_form(client, sr) | {"priority": "high"}
    lifecycle.pick_up(sr, desk.iris, sr.version)  # meanwhile, Iris picks it up
    response = post(client, sr, data, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "<html" not in body
    assert "Iris Manager changed this request meanwhile" in body
    assert 'id="request-timeline" hx-swap-oob="true"' in body and "Iris Manager" in body
    assert '<option selected value="high">' in body
    db.session.refresh(sr)
    assert sr.priority is Priority.NORMAL
    assert f'name="version" value="{sr.version}"' in body  # Save again applies
    redrawn = panel_values(body)
    assert (redrawn["assignee"], redrawn["status"]) == (str(desk.iris.id), "in_progress")
    again = post(client, sr, redrawn, htmx=True)
    assert again.status_code == 200 and "Saved. Priority: high." in again.get_data(as_text=True)


def test_cancelling_in_the_panel_takes_the_reply_form_away_and_other_saves_leave_it(
    client, login, desk
):
    sr = desk.request
    login(desk.ivan)
    kept = post(client, sr, page_form(client, sr) | {"priority": "high"}, htmx=True)
    assert kept.status_code == 200
    assert 'id="reply-slot"' not in kept.get_data(as_text=True)  # a reply being typed stays
    gone = post(client, sr, page_form(client, sr) | {"status": "cancelled"}, htmx=True)
    body = gone.get_data(as_text=True)
    assert gone.status_code == 200 and "<html" not in body
    assert '<div id="reply-slot" hx-swap-oob="true"></div>' in body
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert 'id="reply-title"' not in page
