"""Portal administration: departments, people, slug history, the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.admin import audit_log, merge, people, services
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Contact,
    Department,
    DepartmentSlugRedirect,
    EventKind,
    Membership,
    MembershipRole,
    RequestEvent,
    RequestStatus,
    SearchDocument,
    ServiceRequest,
    User,
)
from tests import factories


@pytest.fixture
def ada(app):
    return factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)


@pytest.fixture
def it(app):
    return factories.make_department(slug="it", name="IT", key_prefix="IT")


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# Permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/admin", "/admin/people", "/admin/import", "/admin/audit", "/admin/audit.csv"],
)
def test_admin_pages_are_404_for_everyone_but_admins(client, login, it, path):
    manager = factories.make_user(roles={it: "manager"})
    login(manager)
    assert client.get(path).status_code == 404


def test_admin_post_from_a_manager_is_404_and_changes_nothing(client, login, it, csrf):
    manager = factories.make_user(roles={it: "manager"})
    login(manager)
    token = csrf()
    response = client.post(
        f"/admin/departments/{it.id}/rename",
        data={"csrf_token": token, "name": "Hacked", "slug": "hacked"},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Department, it.id).slug == "it"


def test_services_refuse_non_admins(app, it):
    employee = factories.make_user()
    with pytest.raises(NotFound):
        services.rename_department(employee, it, "X", "x")
    with pytest.raises(NotFound):
        people.search_people(employee)


def test_admin_home_lists_departments_and_links_other_admin_pages(client, login, ada, it):
    login(ada)
    html = client.get("/admin").get_data(as_text=True)
    assert "IT" in html and "/d/it" in html
    assert 'href="/admin/values"' in html and 'href="/wall/reports"' in html


# Create and rename ------------------------------------------------------------------------


def test_create_department_is_audited_and_searchable(ada):
    department = services.create_department(ada, "Facilities", "facilities")
    assert department.active and department.key_prefix == "FACI"
    [entry] = entries("department.create")
    assert entry.changes["slug"] == [None, "facilities"]
    assert entry.actor_id == ada.id
    assert db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == "department", SearchDocument.ref_id == department.id
        )
    )


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("it", "already used by IT"),
        ("a/b", "cannot contain"),
        ("..", "cannot contain"),
        ("іt", "plain letters a to z"),  # Cyrillic і: a look-alike of i
        ("ｉｔ", "plain letters a to z"),  # full-width
        ("Finance", "lowercase"),
        ("-finance", "cannot start or end with a hyphen"),
        ("", "Enter a short name"),
    ],
)
def test_bad_slugs_are_refused_with_a_clear_message_and_nothing_saved(
    client, login, ada, it, csrf, slug, words
):
    login(ada)
    before = db.session.scalar(select(func.count()).select_from(Department))
    response = client.post(
        "/admin/departments",
        data={"csrf_token": csrf("/admin"), "name": "New team", "slug": slug},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in html.replace("&#34;", '"').replace("&#39;", "'")
    assert 'value="New team"' in html  # the input is kept
    assert db.session.scalar(select(func.count()).select_from(Department)) == before
    assert entries("department.create") == []


def test_create_form_errors_come_back_as_a_fragment_for_htmx(client, login, ada, it, csrf):
    login(ada)
    response = client.post(
        "/admin/departments",
        data={"csrf_token": csrf("/admin"), "name": "New", "slug": "it"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="create-form"' not in html and "<form" in html
    assert 'aria-invalid="true"' in html


def test_rename_keeps_old_urls_working_with_301(client, login, ada, it):
    service = factories.make_service(it, slug="laptop", name="Laptop")
    services.rename_department(ada, it, "IT Services", "it-services")
    login(factories.make_user())
    response = client.get("/d/it")
    assert response.status_code == 301
    assert response.headers["Location"] == "/d/it-services"
    response = client.get(f"/d/it/{service.slug}?from=mail")
    assert response.status_code == 301
    assert response.headers["Location"] == "/d/it-services/laptop?from=mail"
    assert client.get("/d/it-services").status_code == 200
    assert client.get("/d/nothing-here").status_code == 404
    [entry] = entries("department.rename")
    assert entry.changes == {"name": ["IT", "IT Services"], "slug": ["it", "it-services"]}


def test_rename_back_to_an_old_slug_and_chains_of_renames(ada, it):
    services.rename_department(ada, it, "IT", "tech")
    services.rename_department(ada, it, "IT", "technology")
    assert services.redirect_target("it") == "technology"
    assert services.redirect_target("tech") == "technology"
    services.rename_department(ada, it, "IT", "it")
    assert services.redirect_target("it") is None
    assert set(services.old_slugs(it)) == {"tech", "technology"}


def test_a_slug_another_department_had_cannot_be_taken(ada, it):
    services.rename_department(ada, it, "IT", "tech")
    other = factories.make_department(slug="hr", name="HR")
    with pytest.raises(Refused, match="still leads to IT"):
        services.rename_department(ada, other, "HR", "it")


def test_rename_by_htmx_swaps_the_summary_and_announces(client, login, ada, it, csrf):
    login(ada)
    response = client.post(
        f"/admin/departments/{it.id}/rename",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}"), "name": "IT", "slug": "tech"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="rename-title"' in html
    assert "/d/it leads there" in html
    assert "departmentRenamed" in response.headers["HX-Trigger"]


def test_rename_without_js_redirects_303(client, login, ada, it, csrf):
    login(ada)
    response = client.post(
        f"/admin/departments/{it.id}/rename",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}"), "name": "IT", "slug": "tech"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/departments/{it.id}"


def test_post_without_csrf_is_refused(client, login, ada, it):
    login(ada)
    response = client.post(f"/admin/departments/{it.id}/archive", data={})
    assert response.status_code == 400
    assert db.session.get(Department, it.id).active


# Archive and merge -----------------------------------------------------------------------


def test_archive_hides_from_directory_search_and_forms(client, login, ada, it):
    service = factories.make_service(it, slug="laptop", name="Laptop")
    services.archive_department(ada, it)
    login(factories.make_user())
    assert client.get("/d/it").status_code == 404
    assert client.get(f"/d/it/{service.slug}/request").status_code == 404
    kinds = set(db.session.scalars(select(SearchDocument.kind)))
    assert "service" not in kinds and "department" not in kinds
    [entry] = entries("department.archive")
    assert entry.changes == {"active": [True, False]}


def test_archive_refused_while_requests_are_open(ada, it):
    service = factories.make_service(it)
    factories.make_request(service, factories.make_user())
    with pytest.raises(Refused, match="1 open request"):
        services.archive_department(ada, it)
    assert it.active


def test_merge_moves_everything_and_redirects(client, login, ada, it):
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    it_service = factories.make_service(it, slug="laptop", name="Laptop")
    factories.make_service(hr, slug="laptop", name="HR laptop")  # slug clash
    agent = factories.make_user(roles={it: "agent"})
    both = factories.make_user(roles={it: "manager", hr: "agent"})
    person = factories.make_user(department_id=it.id)
    requester = factories.make_user()
    open_sr = factories.make_request(it_service, requester)
    hr_request = factories.make_request(hr.services[0], requester)
    db.session.add(Contact(department_id=it.id, label="Desk", mailbox="desk@example.com"))
    db.session.commit()

    result = merge.merge_departments(ada, it, hr)
    assert (result.services, result.open_requests, result.people, result.contacts) == (1, 1, 1, 1)
    db.session.expire_all()
    assert not db.session.get(Department, it.id).active
    moved = db.session.get(ServiceRequest, open_sr.id)
    assert moved.department_id == hr.id and moved.key == open_sr.key
    assert moved.number != hr_request.number  # (department, number) stays unique
    assert (
        db.session.scalar(
            select(RequestEvent).where(
                RequestEvent.request_id == open_sr.id, RequestEvent.kind == EventKind.DEPARTMENT
            )
        ).to_value
        == "hr"
    )
    assert db.session.get(type(it_service), it_service.id).slug == "laptop-it"
    roles = {
        m.user_id: m.role
        for m in db.session.scalars(select(Membership).where(Membership.department_id == hr.id))
    }
    assert roles[agent.id] is MembershipRole.AGENT and roles[both.id] is MembershipRole.MANAGER
    assert db.session.get(User, person.id).department_id == hr.id
    assert services.redirect_target("it") == "hr"
    login(requester)
    assert client.get("/d/it/laptop-it").headers["Location"] == "/d/hr/laptop-it"
    assert len(entries("department.merge")) == 1 and len(entries("department.merge_into")) == 1


def test_merge_into_itself_is_refused(ada, it):
    with pytest.raises(Refused):
        merge.merge_departments(ada, it, it)


def test_closed_requests_stay_with_the_archived_department(ada, it):
    hr = factories.make_department(slug="hr", name="HR")
    sr = factories.make_request(factories.make_service(it), factories.make_user())
    sr.status = RequestStatus.CLOSED
    db.session.commit()
    merge.merge_departments(ada, it, hr)
    assert db.session.get(ServiceRequest, sr.id).department_id == it.id


# People ----------------------------------------------------------------------------------


def test_deactivate_ends_sessions_at_once_and_is_audited(app, client, login, ada):
    erin = factories.make_user(name="Erin Employee")
    login(erin)
    assert client.get("/").status_code == 200
    people.deactivate_person(ada, erin)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    [entry] = entries("person.deactivate")
    assert entry.changes == {"active": [True, False]}
    assert "Erin Employee" in entry.object_label


def test_deactivated_person_cannot_sign_in(client, ada, csrf):
    erin = factories.make_user(email="erin@example.com")
    people.deactivate_person(ada, erin)
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf("/login"),
            "email": "erin@example.com",
            "password": factories.PASSWORD,
        },
    )
    assert response.status_code == 422


def test_deactivated_person_shows_as_former_employee(client, login, ada, it):
    person = factories.make_user(name="Olga Old")
    db.session.add(Contact(department_id=it.id, label="Laptops", user_id=person.id))
    db.session.commit()
    people.deactivate_person(ada, person)
    login(ada)
    html = client.get("/d/it").get_data(as_text=True)
    assert "Olga Old" in html and "former employee" in html
    assert f"/people/{person.id}" not in html


def test_reactivate(ada):
    erin = factories.make_user()
    people.deactivate_person(ada, erin)
    assert people.reactivate_person(ada, erin)
    assert erin.active
    assert entries("person.reactivate")


def test_never_remove_the_last_admin(ada):
    with pytest.raises(Refused, match="last admin"):
        people.set_admin(ada, ada, False)
    with pytest.raises(Refused, match="yourself"):
        people.deactivate_person(ada, ada)
    other = factories.make_user()
    people.set_admin(ada, other, True)
    assert people.set_admin(other, ada, False)
    with pytest.raises(Refused, match="last admin"):
        people.set_admin(other, other, False)
    assert entries("person.make_admin") and entries("person.unmake_admin")


def test_people_search_htmx_fragment(client, login, ada):
    factories.make_user(name="Zed Zebra", email="zed@example.com")
    login(ada)
    response = client.get("/admin/people?q=zeb", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Zed Zebra" in html and "Ada Admin" not in html


def test_person_action_by_htmx_swaps_the_row(client, login, ada, csrf):
    erin = factories.make_user(name="Erin")
    login(ada)
    response = client.post(
        f"/admin/people/{erin.id}/deactivate",
        data={"csrf_token": csrf("/admin/people")},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "<tr" not in html and "Reactivate" in html  # the row's cells
    assert "signed out everywhere" in html


def test_last_admin_by_htmx_is_422_with_the_reason(client, login, ada, csrf):
    login(ada)
    response = client.post(
        f"/admin/people/{ada.id}/admin",
        data={"csrf_token": csrf("/admin/people"), "make_admin": "no"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "last admin" in response.get_data(as_text=True)
    assert db.session.get(User, ada.id).is_admin


# Audit log -------------------------------------------------------------------------------


def test_admin_audit_log_filters_and_shows_before_after(client, login, ada, it):
    services.rename_department(ada, it, "IT Services", "it")
    services.create_department(ada, "Legal", "legal")
    login(ada)
    html = client.get("/admin/audit?action=department.rename").get_data(as_text=True)
    # The log reads in words (the codes stay the filter's keys).
    assert "Renamed a department" in html and "Created a department" not in html
    assert "IT Services" in html and "→" in html
    html = client.get("/admin/audit?actor=ada@example.com").get_data(as_text=True)
    assert "Created a department" in html
    response = client.get("/admin/audit?object_id=abc")
    assert response.status_code == 422 and "whole number" in response.get_data(as_text=True)


def test_audit_keyset_pagination(ada, it):
    for n in range(audit_log.PAGE_SIZE + 5):
        audit.record(ada, "test.entry", it, note=str(n))
    db.session.commit()
    first = audit_log.read_log(ada, audit_log.AuditFilters())
    assert len(first.entries) == audit_log.PAGE_SIZE and first.next_cursor
    second = audit_log.read_log(ada, audit_log.AuditFilters(before=first.next_cursor))
    assert len(second.entries) == 5
    assert not {e.id for e in first.entries} & {e.id for e in second.entries}


def test_managers_see_only_their_department_log(client, login, ada, it):
    hr = factories.make_department(slug="hr", name="HR")
    services.rename_department(ada, it, "IT Team", "it")
    services.rename_department(ada, hr, "HR Team", "hr")
    iris = factories.make_user(roles={it: "manager"})
    ivan = factories.make_user(roles={it: "agent"})
    login(iris)
    html = client.get("/manage/it/audit").get_data(as_text=True)
    assert "IT Team" in html and "HR Team" not in html
    assert client.get("/manage/hr/audit").status_code == 404
    assert client.get("/admin/audit").status_code == 404
    login(ivan)
    assert client.get("/manage/it/audit").status_code == 404


def test_nobody_can_edit_or_delete_audit_entries(app, client, login, ada, csrf):
    services.create_department(ada, "Legal", "legal")
    login(ada)
    token = csrf("/admin")
    entry_id = entries("department.create")[0].id
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert audit_rules
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/admin/audit/{entry_id}", data={"csrf_token": token})
        assert response.status_code in (404, 405)
        response = getattr(client, method)("/admin/audit", data={"csrf_token": token})
        assert response.status_code == 405
    assert db.session.get(AuditEntry, entry_id) is not None


def test_audit_csv_export_neutralises_formula_cells(client, login, ada):
    services.create_department(ada, '=HYPERLINK("http://evil.example","x")', "evil")
    login(ada)
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "at"
    labels = [row[6] for row in rows[1:]]
    assert labels == ['\'=HYPERLINK("http://evil.example","x")']
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_dept_redirect_covers_the_queue_too(client, login, ada, it):
    agent = factories.make_user(roles={it: "agent"})
    services.rename_department(ada, it, "IT", "tech")
    login(agent)
    response = client.get("/queue/it?tab=new")
    assert response.status_code == 301 and response.headers["Location"] == "/queue/tech?tab=new"
    assert db.session.scalar(select(func.count()).select_from(DepartmentSlugRedirect)) == 1


def test_request_history_names_a_deactivated_person_as_former_employee(client, login, ada, it):
    agent = factories.make_user(name="Ivan Agent", roles={it: "agent"})
    requester = factories.make_user(name="Rita Requester")
    sr = factories.make_request(factories.make_service(it), requester)
    from portal.service_requests.services import conversation

    conversation.reply(sr, agent, "On it.")
    people.deactivate_person(ada, agent)
    people.deactivate_person(ada, requester)
    login(ada)
    html = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert "Ivan Agent (former employee)" in html
    assert 'Rita Requester <span class="muted">(former employee)</span>' in html


def test_a_new_department_has_a_working_page(client, login, ada):
    department = services.create_department(ada, "Facilities", "facilities")
    login(factories.make_user())
    response = client.get(f"/d/{department.slug}")
    assert response.status_code == 200
    assert "Facilities" in response.get_data(as_text=True)


def test_merge_form_without_a_target_is_422(client, login, ada, it, csrf):
    login(ada)
    response = client.post(
        f"/admin/departments/{it.id}/merge",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}"), "target": "0"},
    )
    assert response.status_code == 422
    assert "Choose the department to merge into" in response.get_data(as_text=True)
    assert db.session.get(Department, it.id).active


def test_archive_with_open_requests_shows_why_on_the_page(client, login, ada, it, csrf):
    factories.make_request(factories.make_service(it), factories.make_user())
    login(ada)
    response = client.post(
        f"/admin/departments/{it.id}/archive",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}")},
    )
    assert response.status_code == 422
    assert "1 open request" in response.get_data(as_text=True)


def test_audit_csv_with_a_bad_filter_is_the_page_with_the_message(client, login, ada):
    login(ada)
    response = client.get("/admin/audit.csv?since=2026-13-45")
    assert response.status_code == 422 and response.mimetype == "text/html"


def test_merge_through_the_page_needs_the_confirmation(client, login, ada, it, csrf):
    hr = factories.make_department(slug="hr", name="HR")
    login(ada)
    path = f"/admin/departments/{it.id}"
    response = client.post(f"{path}/merge", data={"csrf_token": csrf(path), "target": str(hr.id)})
    assert response.status_code == 422
    assert "Tick the box to confirm the merge" in response.get_data(as_text=True)
    assert db.session.get(Department, it.id).active
    response = client.post(
        f"{path}/merge", data={"csrf_token": csrf(path), "target": str(hr.id), "confirm": "y"}
    )
    assert (
        response.status_code == 303
        and response.headers["Location"] == f"/admin/departments/{hr.id}"
    )
    db.session.expire_all()
    assert not db.session.get(Department, it.id).active
