"""Org import: one service function behind `flask org import` and /admin/import."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select

from portal.admin import org_import
from portal.admin.org_import import Mode, run_import
from portal.extensions import db
from portal.models import AuditEntry, Department, OrgImportUpload, ReportingLine, User
from tests import factories

HEADER = "email,name,title,department,manager_email,active\n"


@pytest.fixture
def ada(app):
    return factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)


@pytest.fixture
def it(app):
    return factories.make_department(slug="it", name="IT")


def people() -> dict[str, User]:
    return {u.email: u for u in db.session.scalars(select(User))}


def import_entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "org.import").order_by(AuditEntry.id)
        )
    )


def test_dry_run_reports_and_changes_nothing(ada, it):
    data = (HEADER + "bo@example.com,Bo Berg,Engineer,it,,yes\n").encode()
    report = run_import(ada, data, Mode.DRY_RUN)
    assert (report.created, report.changed, report.errors) == (1, 0, [])
    assert not report.applied
    assert "bo@example.com" not in people()
    assert import_entries() == []


def test_apply_creates_updates_and_is_idempotent(ada, it):
    data = (
        HEADER
        + "bo@example.com,Bo Berg,Engineer,it,cy@example.com,yes\n"
        + "cy@example.com,Cy Chen,Lead,IT,,yes\n"
    ).encode()
    report = run_import(ada, data, Mode.APPLY, filename="people.csv")
    assert (report.created, report.changed) == (2, 0) and report.applied
    everyone = people()
    bo, cy = everyone["bo@example.com"], everyone["cy@example.com"]
    assert bo.department_id == it.id and cy.department_id == it.id
    assert db.session.get(ReportingLine, bo.id).manager_id == cy.id
    assert bo.session_token and bo.session_token != cy.session_token

    again = run_import(ada, data, Mode.APPLY, filename="people.csv")
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    last = import_entries()[-1]
    assert "0 created, 0 changed" in last.note
    assert last.changes is None and last.object_label == "people.csv"

    changed = data.replace(b"Engineer", b"Senior Engineer")
    third = run_import(ada, changed, Mode.APPLY)
    assert third.changed == 1
    [update] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "person.import_update")
    ).all()
    assert update.changes == {"title": ["Engineer", "Senior Engineer"]}


def test_semicolons_bom_and_quoted_newlines(ada, it):
    data = (
        "\ufeffemail;name;title;department;manager_email;active\r\n"
        'bo@example.com;"Bo\nBerg";"Head of ""things""; and more";it;;yes\r\n'
    ).encode()
    report = run_import(ada, data, Mode.APPLY)
    assert report.errors == [] and report.created == 1
    bo = people()["bo@example.com"]
    assert bo.name == "Bo Berg"  # whitespace in a name is folded to single spaces
    assert bo.title == 'Head of "things"; and more'


def test_line_numbers_count_quoted_newlines(ada, it):
    data = (
        HEADER + 'bo@example.com,"Bo\nBerg",,it,,yes\n' + "not-an-email,Cy,,it,,yes\n"
    ).encode()
    report = run_import(ada, data, Mode.DRY_RUN)
    assert [(e.line, e.column) for e in report.errors] == [(4, "email")]


def test_formula_cells_are_stored_as_text(client, login, ada, it):
    data = (HEADER + 'eve@example.com,"=HYPERLINK(""http://x"",""y"")",,it,,yes\n').encode()
    run_import(ada, data, Mode.APPLY)
    eve = people()["eve@example.com"]
    assert eve.name == '=HYPERLINK("http://x","y")'
    login(ada)
    html = client.get("/admin/people?q=eve").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in html
    csv_text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text


def test_bad_rows_block_apply_but_not_valid_rows_only(ada, it):
    data = (
        HEADER
        + "bo@example.com,Bo,,it,,yes\n"
        + "bad,No Email,,it,,yes\n"
        + "cy@example.com,,,it,,yes\n"
        + "di@example.com,Di,,nowhere,,yes\n"
        + "ed@example.com,Ed,,it,ghost@example.com,yes\n"
        + "fi@example.com,Fi,,it,,maybe\n"
        + "bo@example.com,Bo again,,it,,yes\n"
        + "gu@example.com,Gu,,it,gu@example.com,yes\n"
        + "only,three,cells\n"
    ).encode()
    report = run_import(ada, data, Mode.APPLY)
    assert not report.applied
    reasons = {(e.line, e.column): e.reason for e in report.errors}
    assert set(reasons) == {
        (3, "email"),
        (4, "name"),
        (5, "department"),
        (6, "manager_email"),
        (7, "active"),
        (8, "email"),
        (9, "manager_email"),
        (10, ""),
    }
    assert "also on line 2" in reasons[(8, "email")]
    assert "no department “nowhere”" in reasons[(5, "department")].lower()
    assert "6 cells" not in reasons[(10, "")] and "3 cells" in reasons[(10, "")]
    assert "bo@example.com" not in people()  # nothing half-saved
    assert import_entries() == []

    partial = run_import(ada, data, Mode.VALID_ROWS_ONLY)
    assert partial.applied and partial.created == 1
    assert "bo@example.com" in people() and "di@example.com" not in people()


def test_deactivate_missing_only_when_asked_and_never_admins(ada, it):
    factories.make_user(email="old@example.com", name="Old Timer")
    data = (HEADER + "bo@example.com,Bo,,it,,yes\n").encode()
    run_import(ada, data, Mode.APPLY)
    assert people()["old@example.com"].active
    report = run_import(ada, data, Mode.APPLY, deactivate_missing=True)
    assert report.deactivated == 1 and report.skipped_admins == 1
    everyone = people()
    assert not everyone["old@example.com"].active
    assert everyone["ada@example.com"].active


def test_deactivated_by_import_loses_sessions(client, login, ada, it):
    bo = factories.make_user(email="bo@example.com", name="Bo")
    login(bo)
    assert client.get("/").status_code == 200
    run_import(ada, (HEADER + "bo@example.com,Bo,,it,,no\n").encode(), Mode.APPLY)
    assert client.get("/").status_code == 302


def test_departments_file(ada):
    data = b"slug,name,mission,active\nfinance,Finance,Money matters,yes\nit/x,Bad,,yes\n"
    report = run_import(ada, data, Mode.DRY_RUN)
    assert report.kind == "departments" and report.created == 1
    assert [(e.line, e.column) for e in report.errors] == [(3, "slug")]
    report = run_import(ada, data, Mode.VALID_ROWS_ONLY)
    assert report.applied
    finance = db.session.scalar(select(Department).where(Department.slug == "finance"))
    assert finance.mission == "Money matters" and finance.key_prefix
    again = run_import(ada, data, Mode.VALID_ROWS_ONLY)
    assert (again.created, again.changed) == (0, 0)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"who,what\nx,y\n", "name the columns"),
        (b"email,name,salary\nx@example.com,X,1\n", "Unknown column"),
        (b"email,title\nx@example.com,X\n", "no “name” column"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(ada, data, words):
    with pytest.raises(org_import.ImportRefused) as caught:
        run_import(ada, data, Mode.DRY_RUN)
    assert words in caught.value.message


def test_file_over_the_limit_is_refused(app, ada):
    app.config["ORG_IMPORT_MAX_BYTES"] = 1000
    try:
        with pytest.raises(org_import.ImportRefused, match="at most"):
            run_import(ada, HEADER.encode() + b"x" * 2000, Mode.DRY_RUN)
    finally:
        app.config["ORG_IMPORT_MAX_BYTES"] = org_import.DEFAULT_MAX_BYTES


def test_non_admin_cannot_import(app, it):
    employee = factories.make_user()
    from portal.core.errors import NotFound

    with pytest.raises(NotFound):
        run_import(employee, HEADER.encode(), Mode.DRY_RUN)


# The upload page -------------------------------------------------------------------------


def upload(client, csrf, data: bytes, **extra):
    if len(data) < 100_000:
        return client.post(
            "/admin/import",
            data={
                "csrf_token": csrf("/admin/import"),
                "file": (io.BytesIO(data), "people.csv"),
                **extra,
            },
            content_type="multipart/form-data",
        )
    # A big body encoded here: the test client would spool it to a temporary file that
    # it never closes (a ResourceWarning, an error under `-W error`).
    boundary = "----inward-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{csrf('/admin/import')}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        "/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_upload_dry_run_then_import(client, login, ada, it, csrf):
    login(ada)
    data = (HEADER + "bo@example.com,Bo,,it,,yes\nbad,X,,it,,yes\n").encode()
    response = upload(client, csrf, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Rows with errors" in html and "is not an e-mail address" in html
    assert "Import valid rows only" in html
    assert "bo@example.com" not in people()
    token = db.session.scalar(select(OrgImportUpload.token))
    response = client.post(
        "/admin/import/apply",
        data={"csrf_token": csrf("/admin/import"), "token": token, "mode": "apply"},
    )
    assert response.status_code == 422 and "bo@example.com" not in people()
    response = client.post(
        "/admin/import/apply",
        data={"csrf_token": csrf("/admin/import"), "token": token, "mode": "valid-rows-only"},
    )
    assert response.status_code == 303
    assert "bo@example.com" in people()
    assert db.session.scalar(select(func.count()).select_from(OrgImportUpload)) == 0


def test_another_admins_upload_cannot_be_applied(client, login, ada, it, csrf):
    login(ada)
    upload(client, csrf, (HEADER + "bo@example.com,Bo,,it,,yes\n").encode())
    token = db.session.scalar(select(OrgImportUpload.token))
    other = factories.make_user(is_admin=True)
    login(other)
    response = client.post(
        "/admin/import/apply",
        data={"csrf_token": csrf("/admin/import"), "token": token, "mode": "apply"},
    )
    assert response.status_code == 422 and "no longer available" in response.get_data(as_text=True)
    assert "bo@example.com" not in people()


def test_upload_without_a_file_is_422(client, login, ada, csrf):
    login(ada)
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf("/admin/import")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Choose a CSV file" in response.get_data(as_text=True)


def test_upload_over_the_import_limit_gets_a_clear_413(client, login, ada, csrf):
    login(ada)
    response = upload(client, csrf, HEADER.encode() + b"x" * (6 * 1024 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "at most 5 MB" in html and "<form" in html


def test_fifty_megabyte_upload_gets_a_clear_413_not_a_500(client, login, ada, csrf):
    login(ada)
    response = upload(client, csrf, b"x" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "at most 5 MB" in response.get_data(as_text=True)


def test_a_body_over_the_limit_from_a_non_admin_is_404_like_the_page(client, login, app, csrf):
    login(factories.make_user(email="erin@example.com"))
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # refused before the admins-only check
    response = upload(client, csrf, b"x" * (2 * 1024 * 1024))
    assert response.status_code == 404
    assert "at most 5 MB" not in response.get_data(as_text=True)


# The command line -------------------------------------------------------------------------


def test_cli_dry_run_apply_and_errors(runner, ada, it, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "bo@example.com,Bo,,it,,yes\n")
    result = runner.invoke(args=["org", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "dry run: 1 created" in result.output and "bo@example.com" not in people()
    result = runner.invoke(args=["org", "import", str(path), "--apply", "--as", "ada@example.com"])
    assert result.exit_code == 0 and "imported: 1 created" in result.output
    assert import_entries()[-1].actor_id == ada.id
    path.write_text(HEADER + "bad,Bo,,it,,yes\n")
    result = runner.invoke(args=["org", "import", str(path), "--apply"])
    assert result.exit_code != 0
    assert "line 2, column email" in result.output and "Nothing was imported" in result.output


# Ten thousand people ----------------------------------------------------------------------


def ten_thousand(bad_every: int = 500) -> tuple[bytes, set[int]]:
    """10,000 people; every 500th row is bad in one of four ways (20 bad rows)."""
    lines = [HEADER.rstrip("\n")]
    bad: set[int] = set()
    for n in range(10_000):
        line_no = n + 2
        email, name, dept, manager, active = f"p{n}@example.com", f"Person {n}", "it", "", "yes"
        if n and n % 50 == 0:
            manager = f"p{n - 2}@example.com"
        if n % bad_every == bad_every - 1:
            kind = (n // bad_every) % 4
            if kind == 0:
                email = f"p{n}-at-example.com"
            elif kind == 1:
                dept = "nowhere"
            elif kind == 2:
                active = "perhaps"
            else:
                name = ""
            bad.add(line_no)
        lines.append(f"{email},{name},Analyst,{dept},{manager},{active}")
    return ("\n".join(lines) + "\n").encode(), bad


def test_ten_thousand_people_with_twenty_bad_rows(ada, it):
    data, bad = ten_thousand()
    assert len(bad) == 20
    started = time.perf_counter()
    dry = run_import(ada, data, Mode.DRY_RUN)
    dry_seconds = time.perf_counter() - started
    assert set(dry.bad_lines) == bad and len(dry.errors) == 20
    assert all(e.reason for e in dry.errors)
    assert dry.created == 9980
    refused = run_import(ada, data, Mode.APPLY)
    assert not refused.applied

    started = time.perf_counter()
    applied = run_import(ada, data, Mode.VALID_ROWS_ONLY, filename="people.csv")
    apply_seconds = time.perf_counter() - started
    assert applied.applied and applied.created == 9980
    assert db.session.scalar(select(func.count()).select_from(User)) == 9981

    started = time.perf_counter()
    again = run_import(ada, data, Mode.VALID_ROWS_ONLY, filename="people.csv")
    again_seconds = time.perf_counter() - started
    assert (again.created, again.changed, again.deactivated) == (0, 0, 0)
    assert "0 created, 0 changed" in import_entries()[-1].note
    print(
        f"\n10,000 rows on {db.engine.dialect.name}: dry run {dry_seconds:.2f} s, "
        f"import {apply_seconds:.2f} s, identical again {again_seconds:.2f} s"
    )


def test_no_one_is_deactivated_as_missing_from_a_file_with_bad_rows(ada, it):
    factories.make_user(email="old@example.com", name="Old Timer")
    data = (HEADER + "bo@example.com,Bo,,it,,yes\nold-at-example.com,Old Timer,,it,,yes\n")
    report = run_import(ada, data.encode(), Mode.VALID_ROWS_ONLY, deactivate_missing=True)
    assert report.applied and report.deactivation_withheld and report.deactivated == 0
    assert people()["old@example.com"].active


def test_the_profile_shows_who_a_person_reports_to(client, login, ada, it):
    data = (
        HEADER
        + "bo@example.com,Bo Berg,,it,cy@example.com,yes\n"
        + "cy@example.com,Cy Chen,,it,,yes\n"
    )
    run_import(ada, data.encode(), Mode.APPLY)
    bo = people()["bo@example.com"]
    login(ada)
    html = client.get(f"/people/{bo.id}").get_data(as_text=True)
    assert "Reports to" in html and "Cy Chen" in html
