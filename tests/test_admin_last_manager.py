"""Deactivating a department's last manager who can act: the admin is warned first (the
page, the htmx row, the import's check), may still go ahead, and the audit entry and the
message name the departments left without a manager."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.admin import people
from portal.admin.org_import import Mode, run_import
from portal.extensions import db
from portal.models import AuditEntry, User
from tests import factories

HEADER = "email,name,title,department,manager_email,active\n"


@pytest.fixture
def org(app):
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    facilities = factories.make_department(slug="facilities", name="Facilities", key_prefix="FA")
    hr = factories.make_department(slug="hr", name="HR", key_prefix="HR")
    ada = factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)
    iris = factories.make_user(
        email="iris@example.com",
        name="Iris Novak",
        roles={it: "manager", facilities: "manager", hr: "manager"},
    )
    hugo = factories.make_user(email="hugo@example.com", name="Hugo Hall", roles={hr: "manager"})
    return {"it": it, "facilities": facilities, "hr": hr, "ada": ada, "iris": iris, "hugo": hugo}


def names(departments) -> list[str]:
    return [department.name for department in departments]


def deactivation_entry(person: User) -> AuditEntry:
    return db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.deactivate", AuditEntry.object_id == person.id
        )
    ).one()


# The rule ---------------------------------------------------------------------------------


def test_sole_manager_is_warned_about_only_the_departments_nobody_else_manages(org):
    # HR has Hugo too: it keeps a manager.
    assert names(people.departments_left_unmanaged(org["ada"], org["iris"])) == [
        "Facilities",
        "IT",
    ]
    assert people.departments_left_unmanaged(org["ada"], org["hugo"]) == []


def test_a_deactivated_co_manager_does_not_count(org):
    people.deactivate_person(org["ada"], org["hugo"])
    assert names(people.departments_left_unmanaged(org["ada"], org["iris"])) == [
        "Facilities",
        "HR",
        "IT",
    ]


def test_an_archived_department_needs_no_warning(org):
    org["facilities"].active = False
    db.session.commit()
    assert names(people.departments_left_unmanaged(org["ada"], org["iris"])) == ["IT"]


def test_going_ahead_is_allowed_and_the_audit_entry_names_the_departments(org):
    done = people.deactivate_person(org["ada"], org["iris"])
    assert done.changed and names(done.left_without_manager) == ["Facilities", "IT"]
    assert not org["iris"].active
    assert deactivation_entry(org["iris"]).note == "Left without a manager: Facilities and IT."


def test_no_note_when_every_department_keeps_a_manager(org):
    done = people.deactivate_person(org["ada"], org["hugo"])
    assert done.changed and done.left_without_manager == []
    assert deactivation_entry(org["hugo"]).note == ""


# The page ---------------------------------------------------------------------------------


def test_warning_on_the_page_then_a_flash_naming_the_departments(client, login, org, csrf):
    iris = org["iris"]
    login(org["ada"])
    token = csrf("/admin/people")
    # The row's one-click "Deactivate" stops at the warning (without JavaScript: its page).
    response = client.post(f"/admin/people/{iris.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/people/{iris.id}/deactivate")
    db.session.expire_all()
    assert db.session.get(User, iris.id).active

    page = client.get(f"/admin/people/{iris.id}/deactivate")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Iris Novak is the only manager of Facilities and IT." in html
    assert 'href="/manage/it#members-section"' in html
    assert 'href="/manage/facilities#members-section"' in html
    assert "Members of HR" not in html
    assert 'name="go_ahead" value="yes"' in html and "anyway" in html

    response = client.post(
        f"/admin/people/{iris.id}/deactivate",
        data={"csrf_token": token, "go_ahead": "yes"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Iris Novak was deactivated" in html
    assert "Facilities and IT now have no manager" in html
    db.session.expire_all()
    assert not db.session.get(User, iris.id).active


def test_no_warning_when_another_manager_remains(client, login, org, csrf):
    hugo = org["hugo"]
    login(org["ada"])
    page = client.get(f"/admin/people/{hugo.id}/deactivate")
    assert page.status_code == 200
    assert "Deactivate Hugo Hall?" in page.get_data(as_text=True)
    assert "only manager" not in page.get_data(as_text=True)
    response = client.post(
        f"/admin/people/{hugo.id}/deactivate",
        data={"csrf_token": csrf("/admin/people")},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Hugo Hall was deactivated and signed out everywhere." in html
    assert "no manager" not in html
    db.session.expire_all()
    assert not db.session.get(User, hugo.id).active


def test_htmx_shows_the_warning_in_the_row_then_goes_ahead(client, login, org, csrf):
    iris = org["iris"]
    login(org["ada"])
    token = csrf("/admin/people")
    htmx = {"HX-Request": "true"}
    response = client.post(
        f"/admin/people/{iris.id}/deactivate", data={"csrf_token": token}, headers=htmx
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Iris Novak is the only manager of Facilities and IT." in html
    assert f'hx-target="#person-{iris.id}"' in html and 'value="yes"' in html
    db.session.expire_all()
    assert db.session.get(User, iris.id).active

    response = client.post(
        f"/admin/people/{iris.id}/deactivate",
        data={"csrf_token": token, "go_ahead": "yes"},
        headers=htmx,
    )
    html = response.get_data(as_text=True)
    assert "Facilities and IT now have no manager" in html and "Reactivate" in html
    assert 'href="/manage/it#members-section"' in html


def test_the_warning_page_needs_an_admin(client, login, org):
    login(org["hugo"])
    assert client.get(f"/admin/people/{org['iris'].id}/deactivate").status_code == 404


# The org import ---------------------------------------------------------------------------


def test_import_check_lists_departments_whose_managers_it_deactivates(org, client, login):
    # Iris leaves by her row; Hugo, HR's other manager, is missing from the file: together
    # they leave HR without a manager, which neither would alone.
    data = (HEADER + "iris@example.com,Iris Novak,,,,no\n").encode()
    report = run_import(org["ada"], data, Mode.DRY_RUN)
    assert [name for name, _ in report.left_without_manager] == ["Facilities", "IT"]
    report = run_import(org["ada"], data, Mode.DRY_RUN, deactivate_missing=True)
    assert report.left_without_manager == [
        ("Facilities", "facilities"),
        ("HR", "hr"),
        ("IT", "it"),
    ]

    applied = run_import(org["ada"], data, Mode.APPLY, filename="people.csv")
    assert applied.applied
    note = db.session.scalars(
        select(AuditEntry.note).where(AuditEntry.action == "org.import")
    ).one()
    assert note.endswith("left without a manager: Facilities, IT")


def test_import_check_page_warns_and_links_to_members(org, client, login, csrf):
    login(org["ada"])
    data = (HEADER + "iris@example.com,Iris Novak,,,,no\n").encode()
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf("/admin/import"), "file": (io.BytesIO(data), "people.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Facilities and IT would be left without a manager" in html
    assert 'href="/manage/facilities#members-section"' in html


def test_import_that_leaves_every_department_a_manager_says_nothing(org):
    data = (HEADER + "hugo@example.com,Hugo Hall,,,,no\n").encode()
    report = run_import(org["ada"], data, Mode.DRY_RUN)
    assert report.deactivated == 0 and report.changed == 1
    assert report.left_without_manager == []
