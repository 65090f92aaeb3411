"""Department self-service: services (rules, one transaction, audit, search), pages
(plain and htmx fragments) and who may reach them."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import func, select

from portal.core.errors import NotFound
from portal.directory import search
from portal.extensions import db
from portal.manage.services.access import managed_department
from portal.manage.services.calendar import CalendarChange, update_calendar
from portal.manage.services.catalogue import (
    ServiceChange,
    create_service,
    department_services,
    move_service,
    set_service_archived,
    update_service,
)
from portal.manage.services.contacts import (
    ContactChange,
    add_contact,
    department_contacts,
    move_contact,
    remove_contact,
)
from portal.manage.services.details import DetailsChange, update_details
from portal.manage.services.form_builder import (
    FieldChange,
    add_field,
    form_fields,
    move_field,
    remove_field,
    update_field,
)
from portal.manage.services.hours import format_periods, parse_periods, set_opening_hours
from portal.manage.services.members import (
    add_member,
    change_member_role,
    department_members,
    remove_member,
)
from portal.manage.services.rules import Invalid
from portal.manage.services.standards import (
    StandardInput,
    Target,
    set_department_standards,
    set_service_standards,
    standards_inputs,
    standards_words,
)
from portal.models import (
    AuditEntry,
    Contact,
    FieldKind,
    Membership,
    MembershipRole,
    Priority,
    RequestField,
    ResponseStandard,
    SearchDocument,
    Service,
)
from tests import factories


@pytest.fixture
def it(app):
    return factories.make_department(slug="it", name="IT", key_prefix="IT")


@pytest.fixture
def iris(it):
    return factories.make_user(name="Iris Novak", email="iris@example.com", roles={it: "manager"})


@pytest.fixture
def hr(app):
    return factories.make_department(slug="hr", name="HR", key_prefix="HR")


@pytest.fixture
def hugo(hr):
    return factories.make_user(name="Hugo Martin", email="hugo@example.com", roles={hr: "manager"})


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def T(amount, unit="hours"):  # noqa: N802 - reads like the form
    return Target(str(amount), unit)


def standards(**by_priority):
    return {
        Priority(p): StandardInput(T(*first), T(*resolution))
        for p, (first, resolution) in by_priority.items()
    }


GOOD = dict(
    urgent=((30, "minutes"), (4, "hours")),
    high=((2, "hours"), (1, "days")),
    normal=((4, "hours"), (3, "days")),
    low=((1, "days"), (5, "days")),
)


# Permissions ------------------------------------------------------------------------


def test_managers_and_admins_manage_others_get_not_found(it, iris, hugo):
    agent = factories.make_user(roles={it: "agent"})
    admin = factories.make_user(is_admin=True)
    assert managed_department(iris, "it") == it
    assert managed_department(admin, "it") == it
    for outsider in (hugo, agent):
        with pytest.raises(NotFound):
            managed_department(outsider, "it")
    with pytest.raises(NotFound):
        managed_department(iris, "../it")
    with pytest.raises(NotFound):
        update_details(hugo, it, DetailsChange(mission="Hacked"))
    assert it.mission != "Hacked"


def test_page_shows_every_section_to_the_manager(client, login, it, iris):
    login(iris)
    response = client.get("/manage/it")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for heading in (
        "Details",
        "Opening hours",
        "Response standards",
        "Services",
        "Contacts",
        "Members",
    ):
        assert f">{heading}</h2>" in html


# Details, calendar ----------------------------------------------------------------


def test_details_change_is_audited_indexed_and_shown(client, login, it, iris):
    update_details(
        iris, it, DetailsChange(mission="Laptops and accounts", email="it@example.com")
    )
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "department.update"
    assert entry.changes["mission"][1] == "Laptops and accounts"
    assert entry.department_id == it.id and entry.actor_id == iris.id
    doc = db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == "department", SearchDocument.ref_id == it.id
        )
    )
    assert "Laptops and accounts" in f"{doc.summary} {doc.body}"
    login(iris)
    assert "Laptops and accounts" in client.get("/d/it").get_data(as_text=True)


def test_details_refuse_a_bad_mailbox_and_save_nothing(it, iris):
    with pytest.raises(Invalid) as caught:
        update_details(
            iris, it, DetailsChange(mission="New mission", email="not an address")
        )
    assert "email" in caught.value.errors
    db.session.expire_all()
    assert it.mission == "We help colleagues get things done."
    assert audit_actions() == []


def test_calendar_validates_time_zone_country_and_region(it, iris):
    for change, field in [
        (CalendarChange(timezone="Mars/Olympus"), "timezone"),
        (
            CalendarChange(timezone="Europe/Berlin", holiday_country="XX"),
            "holiday_country",
        ),
        (
            CalendarChange(
                timezone="Europe/Berlin", holiday_country="DE", holiday_subdivision="ZZ"
            ),
            "holiday_subdivision",
        ),
        (
            CalendarChange(timezone="Europe/Berlin", closures="24/12/2026 party"),
            "closures",
        ),
    ]:
        with pytest.raises(Invalid) as caught:
            update_calendar(iris, it, change)
        assert field in caught.value.errors
    db.session.expire_all()
    assert it.timezone == "Europe/London"
    update_calendar(
        iris,
        it,
        CalendarChange(
            timezone="Europe/Berlin",
            holiday_country="de",
            holiday_subdivision="by",
            closures="2026-12-24 Office move\n\n2026-12-31",
        ),
    )
    db.session.expire_all()
    assert (it.timezone, it.holiday_country, it.holiday_subdivision) == (
        "Europe/Berlin",
        "DE",
        "BY",
    )
    assert [(c.day.isoformat(), c.reason) for c in it.closures] == [
        ("2026-12-24", "Office move"),
        ("2026-12-31", "Closed"),
    ]
    assert audit_actions() == ["department.calendar"]


# Opening hours ----------------------------------------------------------------------


def test_periods_parse_and_read_back():
    assert parse_periods("09:00–12:30, 13:30-17:00") == [
        (time(9), time(12, 30)),
        (time(13, 30), time(17)),
    ]
    assert parse_periods("") == []
    assert format_periods(parse_periods("8.00 to 24:00")) == "08:00–24:00"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17:00–09:00", "must be after opening"),
        ("09:00–09:00", "must be after opening"),
        ("09:00–13:00, 12:00–17:00", "overlap"),
        ("09:00–17:00, 09:00–17:00", "overlap"),
        ("9am to 5pm", "is not a period"),
        ("25:00–26:00", "is not a period"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_periods(text)


def test_opening_hours_replace_the_week_in_one_change(client, login, it, iris):
    week = {0: parse_periods("08:00–12:00, 13:00–18:00"), 5: [(time(10), time(14))]}
    set_opening_hours(iris, it, week)
    db.session.expire_all()
    assert [(h.weekday, h.opens, h.closes) for h in it.opening_hours] == [
        (0, time(8), time(12)),
        (0, time(13), time(18)),
        (5, time(10), time(14)),
    ]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.changes["hours"][0].startswith("Mon 09:00–17:00")
    assert entry.changes["hours"][1].startswith("Mon 08:00–12:00, 13:00–18:00; Tue closed")
    login(iris)
    page = client.get("/d/it").get_data(as_text=True)
    assert "08:00–12:00, 13:00–18:00" in page


def test_overlapping_hours_save_nothing(it, iris):
    with pytest.raises(Invalid) as caught:
        set_opening_hours(
            iris, it, {0: [(time(8), time(12))], 1: [(time(9), time(13)), (time(12), time(17))]}
        )
    assert "day_1" in caught.value.errors and "overlap" in caught.value.errors["day_1"]
    db.session.expire_all()
    assert len(it.opening_hours) == 5
    assert {h.opens for h in it.opening_hours} == {time(9)}
    assert audit_actions() == []


# Response standards -----------------------------------------------------------------


def test_standards_entered_in_business_time_read_back_in_words(client, login, it, iris):
    set_department_standards(iris, it, standards(**GOOD))
    words = {
        p.priority.value: (p.first_response, p.resolution) for p in standards_words(it)
    }
    assert words["urgent"] == ("30 business minutes", "4 business hours")
    assert words["high"] == ("2 business hours", "1 business day")
    assert words["low"] == ("1 business day", "5 business days")
    inputs = standards_inputs(it)
    assert (inputs["normal_resolution"], inputs["normal_resolution_unit"]) == ("3", "days")
    assert (inputs["urgent_first"], inputs["urgent_first_unit"]) == ("30", "minutes")
    login(iris)
    page = client.get("/d/it").get_data(as_text=True)
    assert "within 30 business minutes" in page and "within 5 business days" in page
    assert audit_actions() == ["department.standards"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (dict(urgent=((-1, "hours"), (4, "hours"))), "urgent_first", "greater than zero"),
        (dict(urgent=((0, "hours"), (4, "hours"))), "urgent_first", "greater than zero"),
        (dict(urgent=(("soon", "hours"), (4, "hours"))), "urgent_first", "Enter a number"),
        (dict(urgent=(("nan", "hours"), (4, "hours"))), "urgent_first", "Enter a number"),
        (dict(urgent=((5, "hours"), (4, "hours"))), "urgent_resolution", "cannot come before"),
        (dict(urgent=((3, "days"), (4, "days"))), "urgent_first", "slower than for high"),
        (dict(high=((2, "hours"), (9, "days"))), "high_resolution", "slower than for normal"),
        (dict(urgent=((1, "fortnights"), (4, "hours"))), "urgent_first", "minutes, hours or days"),
        (dict(low=(("", "hours"), ("", "hours"))), "low_first", "enter the first response"),
    ],
)
def test_negative_or_overlapping_targets_are_refused_whole(it, iris, change, field, message):
    before = {
        (s.priority, s.first_response_minutes) for s in db.session.scalars(select(ResponseStandard))
    }
    with pytest.raises(Invalid) as caught:
        set_department_standards(iris, it, standards(**{**GOOD, **change}))
    assert message in caught.value.errors[field]
    db.session.expire_all()
    after = {
        (s.priority, s.first_response_minutes) for s in db.session.scalars(select(ResponseStandard))
    }
    assert after == before
    assert audit_actions() == []


def test_service_overrides_and_back_to_the_default(it, iris):
    set_department_standards(iris, it, standards(**GOOD))
    laptop = factories.make_service(it, name="New laptop", slug="new-laptop")
    set_service_standards(iris, it, laptop, standards(normal=((2, "hours"), (2, "days"))))
    overrides = standards_words(it, laptop)
    assert [(p.priority.value, p.first_response) for p in overrides] == [
        ("normal", "2 business hours")
    ]
    from portal.service_requests.services.promises import targets_for

    assert targets_for(it, laptop, Priority.NORMAL) == (120, 960)
    # An override slower than the department's next priority down is refused.
    with pytest.raises(Invalid):
        set_service_standards(iris, it, laptop, standards(high=((8, "days"), (9, "days"))))
    set_service_standards(iris, it, laptop, {})
    assert standards_words(it, laptop) == []
    assert targets_for(it, laptop, Priority.NORMAL) == (240, 1440)


# Services -------------------------------------------------------------------------


def _svc(name="Parking permit", slug="parking-permit", **kw):
    return ServiceChange(name=name, slug=slug, summary="A permit.", **kw)


def test_create_service_indexes_it_and_shows_it(client, login, it, iris):
    service = create_service(iris, it, _svc(keywords="car"))
    assert service.active and service.position == 0
    assert db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == "service", SearchDocument.ref_id == service.id
        )
    )
    assert search.search_directory("parking", record=False).services[0].service.id == service.id
    login(iris)
    assert "Parking permit" in client.get("/d/it").get_data(as_text=True)
    assert audit_actions() == ["service.create"]


@pytest.mark.parametrize(
    "slug",
    [
        "a/b",
        "..",
        "../etc",
        "new laptop",
        "New-Laptop",
        "lаptop",  # Cyrillic а
        "ｌａｐｔｏｐ",  # fullwidth
        "café",
        "-lead",
        "x" * 65,
        "",
    ],
)
def test_bad_slugs_are_refused(it, iris, slug):
    with pytest.raises(Invalid) as caught:
        create_service(iris, it, _svc(slug=slug))
    assert "slug" in caught.value.errors
    assert db.session.scalar(select(func.count()).select_from(Service)) == 0


def test_duplicate_slug_is_refused_even_against_an_archived_service(it, iris):
    first = create_service(iris, it, _svc())
    set_service_archived(iris, it, first, True)
    with pytest.raises(Invalid) as caught:
        create_service(iris, it, _svc(name="Another"))
    assert "already has a service at parking-permit" in caught.value.errors["slug"]
    other = create_service(iris, it, _svc(name="Other", slug="other"))
    with pytest.raises(Invalid):
        update_service(iris, it, other, _svc(name="Other", slug="parking-permit"))
    db.session.expire_all()
    assert other.slug == "other"


def test_archived_service_leaves_search_pages_and_forms_but_keeps_requests(client, login, it, iris):
    service = create_service(iris, it, _svc())
    employee = factories.make_user()
    sr = factories.make_request(service, employee)
    set_service_archived(iris, it, service, True)
    assert search.search_directory("parking", record=False).services == []
    login(employee)
    assert "Parking permit" not in client.get("/d/it").get_data(as_text=True)
    assert client.get("/d/it/parking-permit").status_code == 404
    assert client.get("/d/it/parking-permit/request").status_code == 404
    assert client.get(f"/requests/{sr.key}").status_code == 200
    set_service_archived(iris, it, service, False)
    assert search.search_directory("parking", record=False).services
    assert audit_actions() == ["service.create", "service.archive", "service.restore"]


def test_services_reorder_up_and_down(it, iris):
    a = create_service(iris, it, _svc("A", "a"))
    b = create_service(iris, it, _svc("B", "b"))
    c = create_service(iris, it, _svc("C", "c"))
    move_service(iris, it, c, "up")
    assert [s.name for s in department_services(it)] == ["A", "C", "B"]
    move_service(iris, it, a, "up")  # already first: nothing happens
    move_service(iris, it, a, "down")
    assert [s.name for s in department_services(it)] == ["C", "A", "B"]
    assert b.position == 2


def test_another_departments_service_is_not_found(it, iris, hr):
    theirs = factories.make_service(hr)
    with pytest.raises(NotFound):
        update_service(iris, it, theirs, _svc())
    with pytest.raises(NotFound):
        set_service_archived(iris, it, theirs, True)
    with pytest.raises(NotFound):
        add_field(iris, it, theirs, FieldChange(label="X", kind="short_text"))


# Form builder -----------------------------------------------------------------------


@pytest.fixture
def laptop(it):
    return factories.make_service(it, name="New laptop", slug="new-laptop")


def _q(label, kind="short_text", **kw):
    return FieldChange(label=label, kind=kind, **kw)


def test_fields_of_every_kind_can_be_added(app, it, iris, laptop):
    for kind in FieldKind:
        options = "One\nTwo" if kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE) else ""
        add_field(
            iris, it, laptop, _q(f"Question {kind.value}", kind.value, options=options)
        )
    fields = form_fields(laptop)
    assert [f.kind for f in fields] == list(FieldKind)
    assert fields[0].key == "question_short_text"
    from portal.service_requests.forms import build_request_form

    with app.test_request_context():
        form = build_request_form(fields, formdata=None)
        assert len(form.custom_fields()) == len(FieldKind)


def test_a_conditional_question_must_depend_on_an_earlier_option(it, iris, laptop):
    kind = add_field(
        iris, it, laptop, _q("Which laptop?", "choice", options="Standard\nDeveloper")
    )
    notes = add_field(iris, it, laptop, _q("Anything else?", "long_text", required=False))
    ok = add_field(
        iris,
        it,
        laptop,
        _q("Which IDE?", show_when_key=kind.key, show_when_value="Developer"),
    )
    assert (ok.show_when_key, ok.show_when_value) == (kind.key, "Developer")
    cases = [
        (_q("X", show_when_key="nope", show_when_value="a"), "show_when_key"),
        (_q("X", show_when_key=notes.key, show_when_value="a"), "show_when_key"),
        (_q("X", show_when_key=kind.key, show_when_value="Gaming"), "show_when_value"),
        (_q("X", show_when_value="Developer"), "show_when_key"),
        (_q("X", "choice", options="Only one"), "options"),
        (_q("X", "choice", options="A\nA"), "options"),
        (_q("X", "number", min_value="10", max_value="1"), "max_value"),
        (_q("X", "number", min_value="lots"), "min_value"),
        (_q("", "short_text"), "label"),
        (_q("X", "spreadsheet"), "kind"),
    ]
    for change, field in cases:
        with pytest.raises(Invalid) as caught:
            add_field(iris, it, laptop, change)
        assert field in caught.value.errors, change
    assert len(form_fields(laptop)) == 3
    # A question cannot depend on itself or on one after it.
    with pytest.raises(Invalid):
        update_field(
            iris,
            it,
            laptop,
            kind,
            _q(
                "Which laptop?",
                "choice",
                options="Standard\nDeveloper",
                show_when_key=ok.key,
                show_when_value="x",
            ),
        )


def test_reordering_keeps_a_conditional_question_after_its_controller(it, iris, laptop):
    kind = add_field(iris, it, laptop, _q("Which?", "choice", options="A\nB"))
    extra = add_field(
        iris, it, laptop, _q("Extra", show_when_key=kind.key, show_when_value="B")
    )
    other = add_field(iris, it, laptop, _q("Other"))
    with pytest.raises(Invalid, match="must stay after"):
        move_field(iris, it, laptop, extra, "up")
    move_field(iris, it, laptop, other, "up")
    assert [f.label for f in form_fields(laptop)] == ["Which?", "Other", "Extra"]
    move_field(iris, it, laptop, other, "up")
    assert [f.label for f in form_fields(laptop)] == ["Other", "Which?", "Extra"]


def test_a_controlling_question_keeps_what_its_dependents_need(it, iris, laptop):
    kind = add_field(iris, it, laptop, _q("Which?", "choice", options="A\nB"))
    add_field(iris, it, laptop, _q("Extra", show_when_key=kind.key, show_when_value="B"))
    with pytest.raises(Invalid, match="Change or remove that question first"):
        remove_field(iris, it, laptop, kind)
    with pytest.raises(Invalid) as caught:
        update_field(iris, it, laptop, kind, _q("Which?", "choice", options="A\nC"))
    assert "options" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        update_field(iris, it, laptop, kind, _q("Which?", "short_text"))
    assert "kind" in caught.value.errors


def test_changing_the_form_never_changes_a_sent_request(client, login, it, iris, laptop):
    model = add_field(iris, it, laptop, _q("Which model?", "choice", options="Air\nPro"))
    employee = factories.make_user()
    sr = factories.make_request(
        laptop,
        employee,
        answers=[
            {
                "key": model.key,
                "label": "Which model?",
                "kind": "choice",
                "value": "Pro",
                "display": "Pro",
            }
        ],
    )
    update_field(iris, it, laptop, model, _q("Model wanted", "choice", options="X\nY"))
    remove_field(iris, it, laptop, model)
    db.session.expire_all()
    assert sr.answers[0]["label"] == "Which model?" and sr.answers[0]["display"] == "Pro"
    field = db.session.get(RequestField, model.id)
    assert field.active is False and field.label == "Model wanted"
    assert form_fields(laptop) == []
    login(employee)
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert "Which model?" in page and "Pro" in page
    # A new question with the same label gets a key of its own.
    again = add_field(iris, it, laptop, _q("Which model?"))
    assert again.key != model.key
    assert audit_actions()[-1] == "form.field.add"


# Contacts ---------------------------------------------------------------------------


def test_contacts_people_or_mailboxes_in_order(client, login, it, iris):
    ivan = factories.make_user(name="Ivan Petrov", email="ivan@example.com")
    add_contact(
        iris, it, ContactChange(label="Laptops", person_email="IVAN@example.com")
    )
    shared = add_contact(
        iris, it, ContactChange(label="Everything else", mailbox="it-help@example.com")
    )
    move_contact(iris, it, shared.id, "up")
    contacts = department_contacts(it)
    assert [c.label for c in contacts] == ["Everything else", "Laptops"]
    assert contacts[1].user_id == ivan.id
    login(iris)
    page = client.get("/d/it").get_data(as_text=True)
    assert page.index("it-help@example.com") < page.index("Ivan Petrov")
    for change, field in [
        (ContactChange(label="X", person_email="ghost@example.com"), "person_email"),
        (ContactChange(label="X"), "person_email"),
        (ContactChange(label="", mailbox="a@example.com"), "label"),
        (ContactChange(label="X", mailbox="nope"), "mailbox"),
        (
            ContactChange(label="X", mailbox="a@example.com", service_id=99999),
            "service_id",
        ),
    ]:
        with pytest.raises(Invalid) as caught:
            add_contact(iris, it, change)
        assert field in caught.value.errors
    remove_contact(iris, it, shared.id)
    assert [c.label for c in department_contacts(it)] == ["Laptops"]
    assert audit_actions() == ["contact.add", "contact.add", "contact.reorder", "contact.remove"]


def test_another_departments_contact_is_not_found(it, iris, hr):
    theirs = Contact(department_id=hr.id, label="HR desk", mailbox="hr@example.com")
    db.session.add(theirs)
    db.session.commit()
    with pytest.raises(NotFound):
        remove_contact(iris, it, theirs.id)
    assert db.session.get(Contact, theirs.id) is not None


# Members ----------------------------------------------------------------------------


def test_members_added_changed_and_removed(it, iris):
    ivan = factories.make_user(name="Ivan", email="ivan@example.com")
    membership = add_member(iris, it, "ivan@example.com", "agent")
    assert membership.role is MembershipRole.AGENT
    change_member_role(iris, it, membership.id, "manager")
    assert db.session.get(Membership, membership.id).role is MembershipRole.MANAGER
    with pytest.raises(Invalid, match="already a manager"):
        add_member(iris, it, "ivan@example.com", "manager")
    with pytest.raises(Invalid):
        add_member(iris, it, "ghost@example.com", "agent")
    with pytest.raises(Invalid):
        add_member(iris, it, "ivan@example.com", "owner")
    remove_member(iris, it, membership.id)
    left = department_members(it)
    assert left[0].user_id == iris.id and len(left) == 1
    assert ivan.id not in [m.user_id for m in left]
    assert audit_actions() == ["member.add", "member.role", "member.remove"]


def test_the_last_manager_can_be_neither_removed_nor_demoted(it, iris):
    own = db.session.scalar(select(Membership).where(Membership.user_id == iris.id))
    with pytest.raises(Invalid, match="only manager of IT"):
        remove_member(iris, it, own.id)
    with pytest.raises(Invalid, match="only manager of IT"):
        change_member_role(iris, it, own.id, "agent")
    with pytest.raises(Invalid, match="only manager of IT"):
        add_member(iris, it, "iris@example.com", "agent")
    db.session.expire_all()
    assert db.session.get(Membership, own.id).role is MembershipRole.MANAGER
    assert audit_actions() == []


def _own_membership(user) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def test_a_deactivated_manager_does_not_keep_the_department_managed(it, iris):
    """Only active managers can act (policy.managers_of): with the other manager's account
    deactivated, Iris is the last one, and the refusal names who is deactivated."""
    factories.make_user(name="Oscar Other", roles={it: "manager"}, active=False)
    own = _own_membership(iris)
    said = r"Iris Novak is the only manager of IT \(Oscar Other is deactivated\), so you cannot"
    with pytest.raises(Invalid, match=said + " remove them. Add another manager first."):
        remove_member(iris, it, own.id)
    with pytest.raises(Invalid, match=said + " make them an agent. Add another manager first."):
        change_member_role(iris, it, own.id, "agent")
    with pytest.raises(Invalid, match=said + " make them an agent."):
        add_member(iris, it, "iris@example.com", "agent")
    db.session.expire_all()
    assert db.session.get(Membership, own.id).role is MembershipRole.MANAGER
    assert audit_actions() == []


def test_a_deactivated_manager_holds_no_role_so_may_be_removed(it, iris, hr, hugo):
    """HR's only manager left: an admin tidies the stale membership away (it kept nobody
    able to act); the department has no manager either way."""
    ada = factories.make_user(name="Ada Admin", is_admin=True)
    hugo.active = False
    db.session.commit()
    remove_member(ada, hr, _own_membership(hugo).id)
    assert department_members(hr) == []


def test_two_active_managers_may_step_down_until_one_is_left(it, iris):
    oscar = factories.make_user(name="Oscar Other", roles={it: "manager"})
    factories.make_user(name="Paula Past", roles={it: "manager"}, active=False)
    change_member_role(iris, it, _own_membership(iris).id, "agent")
    assert _own_membership(iris).role is MembershipRole.AGENT
    with pytest.raises(Invalid, match="Oscar Other is the only manager of IT"):
        remove_member(oscar, it, _own_membership(oscar).id)
    remove_member(oscar, it, _own_membership(iris).id)
    assert {m.user.name for m in department_members(it)} == {"Oscar Other", "Paula Past"}


def test_managers_change_only_their_own_departments_members(it, iris, hr, hugo):
    hugos = db.session.scalar(select(Membership).where(Membership.user_id == hugo.id))
    for call in (
        lambda: remove_member(iris, it, hugos.id),
        lambda: change_member_role(iris, it, hugos.id, "agent"),
        lambda: add_member(iris, hr, "iris@example.com", "manager"),
    ):
        with pytest.raises(NotFound):
            call()
    assert db.session.get(Membership, hugos.id).role is MembershipRole.MANAGER


def test_webhook_is_checked_and_never_written_to_the_audit_trail(it, iris):
    for url in ("http://hooks.example.com/x", "https://127.0.0.1/hook", "https://10.0.0.5/x"):
        with pytest.raises(Invalid) as caught:
            update_details(iris, it, DetailsChange(webhook_url=url))
        assert caught.value.errors["webhook_url"].startswith("The chat webhook cannot be used")
    secret = "https://93.184.216.34/services/T000/B000/SECRET"
    update_details(iris, it, DetailsChange(webhook_url=secret))
    assert it.webhook_url == secret
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.changes["webhook_url"] == [None, "set"]
    assert "SECRET" not in str(entry.changes)


def test_new_hours_move_the_due_times_of_open_requests(it, iris):
    from datetime import UTC, datetime

    service = factories.make_service(it)
    employee = factories.make_user()
    monday_ten = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Europe/London = UTC in winter
    sr = factories.make_request(service, employee, now=monday_ten)
    db.session.refresh(sr)
    assert sr.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    # Monday becomes 09:00–11:00: the 4 business hours now run into Tuesday.
    week = {0: [(time(9), time(11))], **{d: [(time(9), time(17))] for d in range(1, 5)}}
    set_opening_hours(iris, it, week)
    db.session.refresh(sr)
    assert sr.due_at.replace(tzinfo=UTC) == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_two_managers_demoting_each_other_at_once_leave_one_manager(app, it, iris):
    import threading

    from portal.models import User

    other = factories.make_user(name="Oscar Other", roles={it: "manager"})
    ids = {m.user_id: m.id for m in db.session.scalars(select(Membership))}
    actors = [(iris.id, ids[other.id]), (other.id, ids[iris.id])]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(actor_id: int, membership_id: int) -> None:
        with app.app_context():
            actor = db.session.get(User, actor_id)
            department = db.session.get(type(it), it.id)
            barrier.wait()
            try:
                change_member_role(actor, department, membership_id, "agent")
                outcomes.append("done")
            except Invalid:
                outcomes.append("refused")
            except NotFound:
                outcomes.append("not found")  # demoted first, so no longer a manager
            finally:
                db.session.remove()

    threads = [threading.Thread(target=demote, args=pair) for pair in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.rollback()  # end the test's own read snapshot
    roles = [m.role for m in db.session.scalars(select(Membership))]
    assert roles.count(MembershipRole.MANAGER) == 1, outcomes
    assert sorted(outcomes) in (["done", "refused"], ["done", "not found"])


def test_reordering_is_audited_with_the_order_before_and_after(it, iris):
    a = create_service(iris, it, _svc("A", "a"))
    create_service(iris, it, _svc("B", "b"))
    move_service(iris, it, a, "down")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "service.reorder"
    assert entry.changes == {"order": ["A · B", "B · A"]}


def test_an_older_time_zone_name_is_kept_until_changed(client, login, csrf, it, iris):
    it.timezone = "EST5EDT"
    db.session.commit()
    login(iris)
    form = client.get("/manage/it?edit=calendar").get_data(as_text=True)
    assert '<option selected value="EST5EDT">' in form
    update_calendar(iris, it, CalendarChange(timezone="EST5EDT"))
    assert it.timezone == "EST5EDT"
    with pytest.raises(Invalid):
        update_calendar(iris, it, CalendarChange(timezone="CST6CDT"))
