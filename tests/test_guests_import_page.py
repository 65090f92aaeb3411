"""The admins' guest upload, /admin/guests/import (issue 18: "guests can be imported from
CSV like people"): check the file, see every bad row by line, invite with one button. Every
bad input is a test here; who may open the page is the access table's (tests/access_rules/
guests.py: admins only, 404 for everyone else, guests included)."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Guest, OrgImportUpload, OutboxMessage, User
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client

HEADER = "email,name,organisation,reason,expires_on\n"
PAGE = "/admin/guests/import"


def _day(days: int = 90) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def world(app):
    fac = factories.make_department(slug="facilities", name="Facilities", key_prefix="FAC")
    fiona = factories.make_user(email="fiona@example.com", name="Fiona Manager",
                                roles={fac: "manager"})
    frank = factories.make_user(email="frank@example.com", name="Frank Agent",
                                roles={fac: "agent"})
    ada = factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)
    client = signed_in_client(app, ada)
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return dict(fac=fac, fiona=fiona, frank=frank, ada=ada, client=client, token=token)


def _multipart(fields: dict[str, str], data: bytes, filename: str) -> tuple[bytes, str]:
    # Encoded here: the test client would spool a big body to a file it never closes.
    boundary = "----inward-guests-boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _check(world, data: bytes, department="facilities", sponsor="fiona@example.com",
           filename="guests.csv"):
    fields = {"csrf_token": world["token"], "department": department, "sponsor": sponsor}
    body, kind = _multipart(fields, data, filename)
    return world["client"].post(PAGE, data=body, content_type=kind)


def _apply_token(html: str) -> str:
    import re

    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _apply(world, token: str, department="facilities", sponsor="fiona@example.com"):
    return world["client"].post(f"{PAGE}/apply", data={
        "csrf_token": world["token"], "token": token, "department": department,
        "sponsor": sponsor,
    })


def _guests() -> int:
    return db.session.scalar(select(func.count()).select_from(Guest))


def _error_beside(html: str, field: str, words: str) -> bool:
    """The message sits in the field's own error (the form macro's `<id>-error`)."""
    start = html.find(f'id="{field}-error"')
    return start != -1 and words in html[start : start + 400]


# The happy path -----------------------------------------------------------------------------


def test_the_list_links_to_the_upload_and_the_page_explains_the_file(world):
    html = world["client"].get("/admin/guests").get_data(as_text=True)
    assert f'href="{PAGE}"' in html and "Import guests from a CSV file" in html
    page = world["client"].get(PAGE).get_data(as_text=True)
    assert "email, name, organisation, reason, expires_on" in page
    assert '<option value="facilities">Facilities</option>' in page


def test_check_then_invite_audited_like_invitations(world):
    data = (HEADER + f"nora@northwind.example,Nora Lind,Northwind Logistics,Docks,{_day()}\n"
            f"olaf@contoso.example,Olaf Berg,Contoso,Invoices,{_day(30)}\n").encode()
    checked = _check(world, data)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "2 guests can be invited as guests of Facilities, sponsored by Fiona Manager" in html
    assert "nora@northwind.example" in html and "Invite 2 guests" in html
    assert _guests() == 0  # a check invites nobody
    done = _apply(world, _apply_token(html))
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/admin/guests?department=")
    assert _guests() == 2
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "guest.import")
    ).all()
    assert len(entries) == 2 and {e.note for e in entries} == {"guests.csv"}
    assert {e.actor_id for e in entries} == {world["ada"].id}
    assert {e.department_id for e in entries} == {world["fac"].id}
    mails = select(func.count()).where(OutboxMessage.topic == "guest.invitation")
    assert db.session.scalar(mails) == 2
    listed = world["client"].get(done.headers["Location"]).get_data(as_text=True)
    assert "2 guests of Facilities invited from guests.csv" in listed
    assert "Nora Lind" in listed
    # The checked file is used once.
    again = _apply(world, _apply_token(html))
    assert again.status_code == 422 and "no longer available" in again.get_data(as_text=True)
    assert _guests() == 2
    assert db.session.scalar(select(func.count()).select_from(OrgImportUpload)) == 0


# Bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # not a CSV at all
    "email,name,organisation,reason,expires_on\nzoë@x.example,Zoë,Ö,É,2027-01-01\n".encode(
        "latin-1"),  # not UTF-8
])
def test_a_file_that_is_not_utf8_csv_is_refused_beside_the_field_keeping_the_input(world, data):
    response = _check(world, data, filename="photo.png")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_beside(html, "file", "not UTF-8 text")
    assert '<option selected value="facilities">Facilities</option>' in html
    assert 'value="fiona@example.com"' in html
    assert _guests() == 0


def test_a_file_of_text_that_is_not_a_table_of_guests_is_refused(world):
    response = _check(world, b"just some words, in a text file\n")
    assert response.status_code == 422
    assert _error_beside(response.get_data(as_text=True), "file", "The first row must name")


def test_missing_columns_are_named(world):
    response = _check(world, b"email,name\nnora@northwind.example,Nora\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_beside(html, "file", "email, name, organisation, reason, expires_on")
    assert _guests() == 0


def test_an_address_with_an_employee_account_is_refused_by_line_and_nothing_imported(world):
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n"
            f"Frank@Example.com,Frank,Northwind,Docks,{_day()}\n").encode()
    response = _check(world, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 row has errors" in html and "Nobody from this file is invited" in html
    assert '<th scope="row" data-label="Line">3</th>' in html
    assert "belongs to an employee account" in html
    assert "Invite" not in html.split("Check another file")[0].split("Rows with errors")[1]
    assert 'name="token"' not in html
    assert _guests() == 0 and db.session.scalar(
        select(func.count()).select_from(User).where(User.is_guest)) == 0


def test_an_address_that_is_already_a_guest_is_refused(world):
    factories.make_guest(world["fac"], email="nina@northwind.example", name="Nina")
    response = _check(world, (HEADER + f"nina@northwind.example,Nina,N,D,{_day()}\n").encode())
    assert response.status_code == 422
    assert "already a guest" in response.get_data(as_text=True)


@pytest.mark.parametrize("department", ["no-such-department", "", "x" * 500, "fac\x00"])
def test_a_sponsor_department_that_does_not_exist_is_refused_beside_its_field(world, department):
    words = "Choose the sponsoring department" if "\x00" not in department else ""
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n").encode()
    response = _check(world, data, department=department)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_beside(html, "department", words)  # a NUL: the forms' one text rule
    assert 'value="fiona@example.com"' in html  # the input is kept
    assert _guests() == 0


def test_an_archived_department_cannot_sponsor(world):
    factories.make_department(slug="old", name="Old Team", key_prefix="OT", active=False)
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n").encode()
    response = _check(world, data, department="old")
    assert response.status_code == 422
    assert _error_beside(response.get_data(as_text=True), "department", "Choose the sponsoring")


@pytest.mark.parametrize("sponsor", ["frank@example.com", "nobody@example.com", ""])
def test_a_sponsor_who_is_not_a_manager_of_the_department_is_refused(world, sponsor):
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n").encode()
    response = _check(world, data, sponsor=sponsor)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_beside(html, "sponsor", "manager")
    assert _guests() == 0


@pytest.mark.parametrize(("expires_on", "words"), [
    ((date.today() + timedelta(days=400)).isoformat(), "year"),
    ((date.today() - timedelta(days=1)).isoformat(), "after today"),
    ("31/12/2027", "YYYY-MM-DD"),
])
def test_an_expiry_over_a_year_away_or_in_the_past_is_refused_by_line(world, expires_on, words):
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n"
            f"olaf@contoso.example,Olaf,Contoso,Invoices,{expires_on}\n").encode()
    response = _check(world, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    row = html.split('<th scope="row" data-label="Line">3</th>')[1].split("</tr>")[0]
    assert "expires_on" in row and words in row
    assert _guests() == 0


def test_markup_in_the_organisation_name_is_escaped_in_the_preview_and_the_list(world):
    name = '<script>alert("x")</script> & Co'
    data = (HEADER + f'nora@northwind.example,Nora,"{name.replace(chr(34), chr(34) * 2)}",'
            f"Docks,{_day()}\n").encode()
    checked = _check(world, data)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert _apply(world, _apply_token(html)).status_code == 303
    assert db.session.scalar(select(Guest.organisation)) == name  # stored as typed
    listed = world["client"].get("/admin/guests").get_data(as_text=True)
    assert "<script>alert" not in listed and "&lt;script&gt;" in listed


def test_an_oversize_file_is_refused_with_413_beside_the_field(world):
    big = HEADER.encode() + b"x" * (6 * 1024 * 1024)
    response = _check(world, big)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert _error_beside(html, "file", "at most 5 MB")
    assert 'value="fiona@example.com"' in html  # the input is kept
    assert _guests() == 0


def test_a_body_over_the_request_limit_is_a_clear_413_not_a_500(world, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = _check(world, b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "at most 5 MB" in response.get_data(as_text=True)


def test_without_a_file_the_field_says_so(world):
    response = world["client"].post(PAGE, data={
        "csrf_token": world["token"], "department": "facilities", "sponsor": "fiona@example.com",
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert _error_beside(response.get_data(as_text=True), "file", "Choose a CSV file")


def test_ten_thousand_rows_are_checked_and_invited_quickly(world, capsys):
    until = _day(200)
    data = (HEADER + "".join(
        f"g{n}@vendor{n % 50}.example,Guest {n},Vendor {n % 50},Deliveries,{until}\n"
        for n in range(10_000)
    )).encode()
    started = time.perf_counter()
    checked = _check(world, data)
    check_took = time.perf_counter() - started
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "10000 guests can be invited" in html and "the first 20 of 10000" in html
    started = time.perf_counter()
    done = _apply(world, _apply_token(html))
    apply_took = time.perf_counter() - started
    assert done.status_code == 303
    assert _guests() == 10_000
    assert db.session.scalar(
        select(func.count()).where(AuditEntry.action == "guest.import")) == 10_000
    with capsys.disabled():
        print(f"\n10,000 guests through the page: check {check_took:.1f} s, "
              f"invite {apply_took:.1f} s")
    assert check_took < 15 and apply_took < 60


def test_a_file_with_only_the_column_names_is_refused(world):
    response = _check(world, HEADER.encode())
    assert response.status_code == 422
    assert _error_beside(response.get_data(as_text=True), "file", "no guests in it")


def test_a_file_with_errors_is_not_kept_for_an_import(world):
    data = (HEADER + f"nora@northwind.example,Nora,Northwind,Docks,{_day()}\n"
            "bad,Olaf,Contoso,Invoices,2027-01-01\n").encode()
    assert _check(world, data).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(OrgImportUpload)) == 0
