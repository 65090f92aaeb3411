"""The manage pages over HTTP: plain forms (303 and 422 pages), htmx fragments (the
section alone), and 404 for everyone who may not manage the department."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.manage.services.contacts import ContactChange, add_contact
from portal.manage.services.form_builder import FieldChange, add_field, form_fields
from portal.models import (
    ApprovalMode,
    ApprovalStep,
    ApproverKind,
    Membership,
    MembershipRole,
    OpeningHours,
    SearchMiss,
    Service,
)
from tests import factories, worlds

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    w = worlds.two_desks()
    w.ada = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    w.laptop = factories.make_service(w.it, name="New laptop", slug="new-laptop")
    w.field = add_field(
        w.iris, w.it, w.laptop, FieldChange(label="Which?", kind="choice", options="A\nB")
    )
    w.contact = add_contact(w.iris, w.it, ContactChange(label="Desk", mailbox="it@example.com"))
    w.membership = db.session.scalar(select(Membership).where(Membership.user_id == w.ivan.id))
    w.gap = SearchMiss(query="laptop docking station", count=3)
    db.session.add(w.gap)
    w.step = ApprovalStep(service_id=w.laptop.id, position=0, mode=ApprovalMode.ANY,
                          approver_kind=ApproverKind.LINE_MANAGER)
    db.session.add(w.step)
    db.session.commit()
    return w


def manage_urls(app, w) -> list[tuple[str, str]]:
    """Every manage route with the world's ids filled in, and its methods."""
    values = dict(
        dept="it",
        service_id=w["laptop"].id,
        field_id=w["field"].id,
        contact_id=w["contact"].id,
        membership_id=w["membership"].id,
        gap_id=w["gap"].id,
        link_id=1,  # a value chain link: 404 for another department's manager all the same
        step_id=w["step"].id,
    )
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("manage."):
                continue
            url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, url))
    return found


def test_every_manage_route_is_not_found_for_another_departments_manager(
    app, client, login, csrf, world
):
    login(world["hugo"])
    token = csrf("/")
    routes = manage_urls(app, world)
    assert len(routes) >= 20
    before = (db.session.query(OpeningHours).count(), db.session.query(Service).count())
    for method, url in routes:
        for headers in ({}, HX):
            response = client.open(
                url,
                method=method,
                data={"csrf_token": token, "direction": "up", "role": "agent"},
                headers=headers,
            )
            assert response.status_code == 404, (method, url, headers)
    assert (db.session.query(OpeningHours).count(), db.session.query(Service).count()) == before


@pytest.mark.parametrize(
    ("who", "status"), [("iris", 200), ("ada", 200), ("ivan", 404), ("hugo", 404)]
)
def test_who_may_open_the_manage_page(client, login, world, who, status):
    login(world[who])
    assert client.get("/manage/it").status_code == status
    assert client.get("/manage/nope").status_code == 404
    assert client.get("/manage/IT").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, world):
    assert client.get("/manage/it").status_code == 302
    assert client.get("/manage/it", headers=HX).headers.get("HX-Redirect", "").startswith("/login")


def test_manage_link_shows_for_managers_only(client, login, world):
    login(world["iris"])
    assert 'href="/manage/it"' in client.get("/d/it").get_data(as_text=True)
    login(world["hugo"])
    page = client.get("/d/it").get_data(as_text=True)
    assert 'href="/manage/it"' not in page and 'href="/manage/hr"' in page


def test_a_post_without_the_csrf_token_is_refused(client, login, world):
    login(world["iris"])
    response = client.post("/manage/it/hours", data={"day_0": "08:00–09:00"})
    assert response.status_code == 400
    assert len(world["it"].opening_hours) == 5


def test_edit_swaps_in_a_form_fragment_and_cancel_restores_it(client, login, world):
    login(world["iris"])
    response = client.get("/manage/it?edit=hours", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section id="hours-section"')
    assert 'name="day_0" ' in html and 'value="09:00–17:00"' in html
    assert "data-escape-cancels" in html and "data-cancel" in html
    shown = client.get("/manage/it?section=hours", headers=HX).get_data(as_text=True)
    assert "<form" not in shown and "09:00–17:00" in shown and "data-edit-button" in shown
    # Without JavaScript the Edit link opens the whole page with the form in place.
    page = client.get("/manage/it?edit=hours").get_data(as_text=True)
    assert "<html" in page and 'name="day_0"' in page


def test_saving_hours_without_javascript_redirects_to_the_section(client, login, csrf, world):
    login(world["iris"])
    data = {"csrf_token": csrf("/manage/it"), "day_0": "08:00–12:00, 13:00–18:00"}
    response = client.post("/manage/it/hours", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/manage/it#hours-section")
    db.session.expire_all()
    assert [(h.weekday, h.opens.hour) for h in world["it"].opening_hours] == [(0, 8), (0, 13)]
    assert "Opening hours saved." in client.get("/manage/it").get_data(as_text=True)


def test_saving_hours_with_htmx_answers_the_section(client, login, csrf, world):
    login(world["iris"])
    data = {"csrf_token": csrf("/manage/it"), "day_0": "08:00–12:00", "day_1": "09:00–17:00"}
    response = client.post("/manage/it/hours", data=data, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'data-announce="Opening hours saved."' in html and "08:00–12:00" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17:00–09:00", "Closing time 09:00 must be after opening time 17:00."),
        ("09:00–13:00, 12:00–17:00", "overlap"),
        ("nine to five", "is not a period"),
    ],
)
def test_bad_hours_come_back_beside_the_field_with_the_input_kept(
    client, login, csrf, world, typed, message
):
    login(world["iris"])
    data = {"csrf_token": csrf("/manage/it"), "day_0": "08:00–10:00", "day_2": typed}
    for headers in ({}, HX):
        response = client.post("/manage/it/hours", data=data, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert ("<html" in html) == (not headers)
        assert message in html and 'aria-invalid="true"' in html
        assert f'value="{typed}"' in html and 'value="08:00–10:00"' in html
    db.session.expire_all()
    assert {h.opens.hour for h in world["it"].opening_hours} == {9}


def test_bad_standards_come_back_with_messages(client, login, csrf, world):
    login(world["iris"])
    data = {"csrf_token": csrf("/manage/it")}
    for p in ("urgent", "high", "normal", "low"):
        data |= {
            f"{p}_first": "1",
            f"{p}_first_unit": "hours",
            f"{p}_resolution": "2",
            f"{p}_resolution_unit": "days",
        }
    data["urgent_first"] = "-2"
    response = client.post("/manage/it/standards", data=data, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Urgent, first response: Enter a time greater than zero." in html
    data["urgent_first"] = "30"
    data["urgent_first_unit"] = "minutes"
    response = client.post("/manage/it/standards", data=data, headers=HX)
    assert response.status_code == 200
    assert "within 30 business minutes" in response.get_data(as_text=True)


def test_new_service_plain_and_bad_slug(client, login, csrf, world):
    login(world["iris"])
    token = csrf("/manage/it/services/new")
    bad = client.post(
        "/manage/it/services/new",
        data={"csrf_token": token, "service-name": "Printer", "service-slug": "print/er"},
    )
    assert bad.status_code == 422
    assert "Use only lowercase letters" in bad.get_data(as_text=True)
    duplicate = client.post(
        "/manage/it/services/new",
        data={"csrf_token": token, "service-name": "Laptop", "service-slug": "new-laptop"},
        headers=HX,
    )
    assert duplicate.status_code == 422 and "<html" not in duplicate.get_data(as_text=True)
    good = client.post(
        "/manage/it/services/new",
        data={
            "csrf_token": token,
            "service-name": "Printer",
            "service-slug": "printer",
            "service-category": "Hardware",
        },
    )
    assert good.status_code == 303
    created = db.session.scalar(select(Service).where(Service.slug == "printer"))
    assert good.headers["Location"].endswith(f"/manage/it/services/{created.id}")
    hx = client.post(
        "/manage/it/services/new",
        data={"csrf_token": token, "service-name": "Phone", "service-slug": "phone"},
        headers=HX,
    )
    assert hx.status_code == 204 and hx.headers["HX-Redirect"].startswith("/manage/it/services/")


def test_builder_adds_a_question_and_the_preview_shows_it(client, login, csrf, world):
    login(world["iris"])
    laptop, field = world["laptop"], world["field"]
    url = f"/manage/it/services/{laptop.id}"
    token = csrf(url)
    response = client.post(
        f"{url}/fields",
        data={
            "csrf_token": token,
            "field-label": "Which IDE?",
            "field-kind": "short_text",
            "field-required": "y",
            "field-show_when_key": field.key,
            "field-show_when_value": "B",
        },
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="builder-section"')
    assert 'data-show-when="which" data-show-value="B"' in html  # the preview
    assert "Only when “Which?” is “B”" in html
    bad = client.post(
        f"{url}/fields",
        data={
            "csrf_token": token,
            "field-label": "X",
            "field-kind": "short_text",
            "field-show_when_key": field.key,
            "field-show_when_value": "C",
        },
        headers=HX,
    )
    assert bad.status_code == 422
    assert "Choose one of the answers to “Which?”" in bad.get_data(as_text=True)
    assert 'value="X"' in bad.get_data(as_text=True)


def test_builder_edit_move_and_remove_over_http(client, login, csrf, world):
    login(world["iris"])
    laptop, field = world["laptop"], world["field"]
    url = f"/manage/it/services/{laptop.id}"
    token = csrf(url)
    other = add_field(
        world["iris"], world["it"], laptop, FieldChange(label="Notes", kind="long_text")
    )
    editing = client.get(f"{url}?field={field.id}", headers=HX).get_data(as_text=True)
    assert 'value="Which?"' in editing and "Save question" in editing
    assert client.get(f"{url}?field=999999").status_code == 404
    moved = client.post(
        f"{url}/fields/{other.id}/move", data={"csrf_token": token, "direction": "up"}
    )
    assert moved.status_code == 303
    assert [f.label for f in form_fields(laptop)] == ["Notes", "Which?"]
    saved = client.post(
        f"{url}/fields/{field.id}",
        data={
            "csrf_token": token,
            "field-label": "Which one?",
            "field-kind": "choice",
            "field-options": "A\nB\nC",
        },
        headers=HX,
    )
    assert saved.status_code == 200 and "Which one?" in saved.get_data(as_text=True)
    removed = client.post(f"{url}/fields/{other.id}/remove", data={"csrf_token": token}, headers=HX)
    assert removed.status_code == 200
    assert [f.label for f in form_fields(laptop)] == ["Which one?"]


def test_last_manager_message_over_http(client, login, csrf, world):
    login(world["iris"])
    own = db.session.scalar(select(Membership).where(Membership.user_id == world["iris"].id))
    token = csrf("/manage/it")
    response = client.post(
        f"/manage/it/members/{own.id}/remove", data={"csrf_token": token}, headers=HX
    )
    assert response.status_code == 422
    assert "Iris Novak is the only manager of IT" in response.get_data(as_text=True)
    response = client.post(
        f"/manage/it/members/{own.id}/role", data={"csrf_token": token, "role": "agent"}
    )
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert db.session.get(Membership, own.id) is not None


def test_a_manager_who_steps_down_goes_to_the_department_page(client, login, csrf, world):
    login(world["iris"])
    token = csrf("/manage/it")
    promote = client.post(
        f"/manage/it/members/{world['membership'].id}/role",
        data={"csrf_token": token, "role": "manager"},
        headers=HX,
    )
    assert promote.status_code == 200 and "Ivan Petrov is now a manager." in promote.get_data(
        as_text=True
    )
    own = db.session.scalar(select(Membership).where(Membership.user_id == world["iris"].id))
    response = client.post(
        f"/manage/it/members/{own.id}/role", data={"csrf_token": token, "role": "agent"}, headers=HX
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/d/it"
    assert db.session.get(Membership, own.id).role is MembershipRole.AGENT
    assert client.get("/manage/it").status_code == 404


def test_members_added_by_email_and_contacts_over_http(client, login, csrf, world):
    login(world["iris"])
    newcomer = factories.make_user(name="Nina New", email="nina@example.com")
    token = csrf("/manage/it")
    response = client.post(
        "/manage/it/members",
        data={"csrf_token": token, "email": "nina@example.com", "role": "agent"},
        headers=HX,
    )
    assert response.status_code == 200 and "Nina New" in response.get_data(as_text=True)
    assert db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id))
    bad = client.post(
        "/manage/it/members", data={"csrf_token": token, "email": "x@nowhere.test", "role": "agent"}
    )
    assert bad.status_code == 422 and 'value="x@nowhere.test"' in bad.get_data(as_text=True)
    contact = client.post(
        "/manage/it/contacts",
        data={"csrf_token": token, "label": "Laptops", "person_email": "nina@example.com"},
        headers=HX,
    )
    assert contact.status_code == 200 and "Nina New" in contact.get_data(as_text=True)


def test_live_preview_shows_the_draft_question_without_saving_it(client, login, csrf, world):
    login(world["iris"])
    laptop, field = world["laptop"], world["field"]
    url = f"/manage/it/services/{laptop.id}"
    token = csrf(url)
    draft = {
        "csrf_token": token,
        "field-label": "Cost centre",
        "field-kind": "short_text",
        "field-help_text": "Ask your manager",
    }
    response = client.post(f"{url}/fields/preview", data=draft, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="builder__preview" id="builder-preview"')
    assert "Cost centre" in html and "Ask your manager" in html and "not saved yet" in html
    assert [f.label for f in form_fields(laptop)] == ["Which?"]
    incomplete = client.post(
        f"{url}/fields/preview", data={**draft, "field-label": ""}, headers=HX
    ).get_data(as_text=True)
    assert "once it is complete: Enter the question." in incomplete
    edited = client.post(
        f"{url}/fields/preview?field={field.id}",
        data={
            "csrf_token": token,
            "field-label": "Which model?",
            "field-kind": "choice",
            "field-options": "A\nB",
        },
        headers=HX,
    ).get_data(as_text=True)
    assert "Which model?" in edited and "Which?" not in edited
    assert client.post(f"{url}/fields/preview", data=draft).status_code == 303


NASTY = ["\x00", "a\x00b", "x" * 20_000, "<script>alert(1)</script>", '=HYPERLINK("x")', "\u202e"]


def test_nasty_input_to_every_form_is_a_message_never_a_500(app, client, login, csrf, world):
    login(world["iris"])
    token = csrf("/manage/it")
    names = {
        "/manage/it/details": ["mission", "description", "email", "phone", "webhook_url"],
        "/manage/it/calendar": ["timezone", "holiday_country", "holiday_subdivision", "closures"],
        "/manage/it/hours": ["day_0", "day_6"],
        "/manage/it/standards": ["urgent_first", "urgent_first_unit", "low_resolution"],
        "/manage/it/services/new": ["service-name", "service-slug", "service-category"],
        f"/manage/it/services/{world['laptop'].id}/details": ["service-name", "service-slug"],
        f"/manage/it/services/{world['laptop'].id}/fields": [
            "field-label",
            "field-kind",
            "field-options",
            "field-min_value",
            "field-show_when_key",
            "field-show_when_value",
        ],
        "/manage/it/contacts": ["label", "person_email", "mailbox", "service_id"],
        "/manage/it/members": ["email", "role"],
        f"/manage/it/members/{world['membership'].id}/role": ["role"],
        f"/manage/it/services/{world['laptop'].id}/move": ["direction"],
    }
    for url, fields in names.items():
        for name in fields:
            for value in NASTY:
                response = client.post(url, data={"csrf_token": token, name: value}, headers=HX)
                assert response.status_code < 500, (url, name, value[:10])
                assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_service_standards_form_says_what_an_empty_priority_falls_back_to(client, login, world):
    login(world["iris"])
    html = client.get(
        f"/manage/it/services/{world['laptop'].id}?edit=standards", headers=HX
    ).get_data(as_text=True)
    assert "Empty: the department’s 30 business minutes / 4 business hours." in html
    assert "Empty: the department has no standard for it." in html


def test_the_only_manager_is_shown_without_buttons_that_would_be_refused(client, login, world):
    login(world["iris"])
    html = client.get("/manage/it?section=members", headers=HX).get_data(as_text=True)
    assert "The only manager: add another before changing them." in html
    own = db.session.scalar(select(Membership).where(Membership.user_id == world["iris"].id))
    assert f"/manage/it/members/{own.id}/remove" not in html
    assert f"/manage/it/members/{world['membership'].id}/remove" in html


def test_a_deactivated_manager_is_marked_and_leaves_the_only_active_one_without_buttons(
    client, login, world
):
    oscar = factories.make_user(name="Oscar Other", roles={world["it"]: "manager"}, active=False)
    login(world["iris"])
    html = client.get("/manage/it?section=members", headers=HX).get_data(as_text=True)
    assert "Oscar Other</strong>" in html and "(deactivated)" in html
    assert "The only manager: add another before changing them." in html
    own = db.session.scalar(select(Membership).where(Membership.user_id == world["iris"].id))
    assert f"/manage/it/members/{own.id}/remove" not in html
    his = db.session.scalar(select(Membership).where(Membership.user_id == oscar.id))
    assert f"/manage/it/members/{his.id}/remove" in html
