"""Issue 12 on the admin pages: hostile but harmless input never answers 500 and never
stores anything (items 7–10), and the audit log reads in words (item 19)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.admin import audit_log, services
from portal.core.errors import Refused
from portal.extensions import db
from portal.models import AuditEntry, Department
from tests import factories

TWENTY_DIGITS = "9" * 20
HOSTILE_IDS = ["²", "-1", "0", TWENTY_DIGITS, "99999999999", "1e3", " 7 ", "%00"]
CONTROL_NAMES = ["\x00", "IT\x00", "Legal\x07", "Bad\x1bname", "\x7f"]


@pytest.fixture
def ada(app):
    return factories.make_user(email="ada@example.com", name="Ada Admin", is_admin=True)


@pytest.fixture
def it(app):
    return factories.make_department(slug="it", name="IT", key_prefix="IT")


def departments() -> int:
    return db.session.scalar(select(func.count()).select_from(Department))


# Item 9: control characters ----------------------------------------------------------------


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_a_department_name_with_control_characters_is_refused_and_nothing_stored(
    client, login, csrf, ada, name
):
    login(ada)
    before = departments()
    response = client.post(
        "/admin/departments", data={"csrf_token": csrf("/admin"), "name": name, "slug": "zero"}
    )
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert departments() == before
    assert db.session.scalar(select(Department).where(Department.slug == "zero")) is None


def test_the_service_refuses_control_characters_in_a_name_beside_the_field(ada, it):
    with pytest.raises(Refused) as refused:
        services.create_department(ada, "IT\x00", "it-two")
    assert refused.value.field == "name"
    with pytest.raises(Refused):
        services.rename_department(ada, it, "I\x00T", "it")
    db.session.expire_all()
    assert db.session.get(Department, it.id).name == "IT"


def test_a_rename_with_a_nul_is_422_and_keeps_the_name(client, login, csrf, ada, it):
    login(ada)
    response = client.post(
        f"/admin/departments/{it.id}/rename",
        data={"csrf_token": csrf(f"/admin/departments/{it.id}"), "name": "I\x00T", "slug": "it"},
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Department, it.id).name == "IT"


@pytest.mark.parametrize("actor", ["%00", "ada%00", "%1B[31m", "%7F"])
@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_the_audit_actor_filter_with_control_characters_shows_the_message(
    client, login, ada, actor, path
):
    login(ada)
    response = client.get(f"{path}?actor={actor}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="actor-error"' in html and "control characters" in html
    assert 'aria-describedby="actor-error"' in html


# Item 10: dates at the edge -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "until=9999-12-31",
        "since=9999-12-31",
        "since=0001-01-01&until=9999-12-31",
        "since=0001-01-01",
        "until=0001-01-01",
        "until=10000-01-01",
        "since=2026-02-30",
    ],
)
@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_edge_dates_never_answer_500(client, login, ada, it, query, path):
    services.rename_department(ada, it, "IT Team", "it")
    login(ada)
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 422)
    response.get_data()  # the CSV is streamed: read it all


def test_until_the_last_day_there_is_means_no_end(client, login, ada, it):
    services.rename_department(ada, it, "IT Team", "it")
    login(ada)
    response = client.get("/admin/audit?until=9999-12-31")
    assert response.status_code == 200
    assert "IT Team" in response.get_data(as_text=True)


# Items 7 and 8: ids that are not ids --------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE_IDS)
@pytest.mark.parametrize("name", ["object_id", "department", "before"])
@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_audit_filters_with_hostile_ids_never_answer_500(client, login, ada, it, value, name, path):
    services.rename_department(ada, it, "IT Team", "it")
    login(ada)
    response = client.get(path, query_string={name: value})
    assert response.status_code in (200, 422)
    response.get_data()


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_a_managers_audit_log_with_hostile_ids_never_answers_500(client, login, ada, it, value):
    iris = factories.make_user(roles={it: "manager"})
    login(iris)
    for path in ("/manage/it/audit", "/manage/it/audit.csv"):
        response = client.get(path, query_string={"object_id": value, "before": value})
        assert response.status_code in (200, 422)
        response.get_data()


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        f"2026-01-01T00:00:00+00:00|{TWENTY_DIGITS}",
        "2026-01-01T00:00:00+00:00|²",
        "2026-01-01T00:00:00+00:00|-1",
        "9999-12-31T23:59:59|5",
        "not a date|5",
    ],
)
def test_a_forged_page_cursor_is_ignored(client, login, ada, it, raw):
    services.rename_department(ada, it, "IT Team", "it")
    login(ada)
    response = client.get("/admin/audit", query_string={"before": _cursor(raw)})
    assert response.status_code == 200
    page = audit_log.read_log(ada, audit_log.AuditFilters(before=_cursor(raw)))
    assert page.entries is not None


@pytest.mark.parametrize("value", [v for v in HOSTILE_IDS if v != " 7 "])
def test_the_people_page_with_a_hostile_after_is_the_first_page(client, login, ada, value):
    login(ada)
    response = client.get("/admin/people", query_string={"after": value})
    assert response.status_code == 200
    assert "Ada Admin" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/people/{TWENTY_DIGITS}/deactivate",
        f"/admin/people/{TWENTY_DIGITS}/reactivate",
        f"/admin/people/{TWENTY_DIGITS}/admin",
        f"/admin/departments/{TWENTY_DIGITS}/rename",
        f"/admin/departments/{TWENTY_DIGITS}/archive",
        "/admin/people/2147483648/deactivate",
    ],
)
def test_twenty_digit_ids_in_admin_paths_are_404(client, login, csrf, ada, path):
    login(ada)
    response = client.post(path, data={"csrf_token": csrf("/admin")})
    assert response.status_code == 404


def test_a_twenty_digit_department_page_is_404(client, login, ada):
    login(ada)
    assert client.get(f"/admin/departments/{TWENTY_DIGITS}").status_code == 404


# Item 19: the audit log reads in words ------------------------------------------------------

PORTAL = Path(__file__).resolve().parents[1] / "portal"
RECORDED = re.compile(
    r"audit\.record\(\s*\w+,\s*\"([a-z_.]+)\""  # audit.record(actor, "x.y", …)
    r"|_audit_row\(\s*\w+,\s*\"([a-z_.]+)\""  # the org import's bulk rows
    r"|\"((?:[a-z_]+\.)+[a-z_]+)\" if \w+ else \"((?:[a-z_]+\.)+[a-z_]+)\""  # one of two
    r"|_change_person\(\s*\w+,\s*\w+,\s*\"([a-z_.]+)\""  # people.py
)


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in PORTAL.rglob("*.py"):
        for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
            found.update(group for group in match.groups() if group)
    return found


def test_every_recorded_action_has_words():
    actions = recorded_actions()
    assert {"form.field.add", "department.rename", "person.deactivate"} <= actions
    missing = sorted(a for a in actions if a not in audit.ACTION_WORDS)
    assert not missing, f"add words for these to portal/audit.py ACTION_WORDS: {missing}"


def test_the_log_shows_words_not_codes(client, login, ada, it):
    audit.record(
        ada,
        "form.field.add",
        object_type="request_field",
        object_id=7,
        label="Which desk?",
        department_id=it.id,
    )
    audit.record(ada, "person.deactivate", ada, label="Ada Admin <ada@example.com>")
    db.session.commit()
    login(ada)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Added a question to a request form" in html
    assert "Deactivated a person" in html
    assert "(question 7)" in html
    rows = html[html.index('id="audit-rows"') :]
    assert "form.field.add" not in rows and "request_field" not in rows
    # The code stays the key of the filter and of the CSV.
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.object_id == 7)) == (
        "form.field.add"
    )
    csv_text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "form.field.add" in csv_text
