"""Notifications: ids from the query string go through the one parser (issue 12 #7), and
e-mails written from templates carry a text and an HTML part (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.notify import email
from portal.notify.delivery import Delivery, build_email


@pytest.mark.parametrize("before", ["²", "-1", "0", "9" * 20, "1e3", " 12 ", "%00"])
def test_a_hostile_cursor_is_ignored_never_a_500(client, login, make_user, before):
    login(make_user())
    response = client.get("/notifications", query_string={"before": before})
    assert response.status_code == 200


def test_an_e_mail_from_templates_has_subject_text_and_html(app, make_department, make_user):
    department = make_department(name="IT <Desk>", slug="it")
    user = make_user(name="Erin Example")
    message = email.compose(
        "feedback_check_in",
        user=user,
        department=department,
        period="Q1 2027",
        closes_on=datetime(2027, 3, 31, tzinfo=UTC).date(),
        portal_url="https://inward.example",
        link="/d/it/check-in",
    )
    assert message.subject == "IT <Desk> asks: how well do we serve you?"
    assert message.text.startswith("Hello Erin,")
    assert "https://inward.example/d/it/check-in" in message.text
    assert "31 March 2027" in message.text
    assert "IT &lt;Desk&gt;" in message.html and "IT <Desk>" not in message.html


def test_the_html_part_is_sent_as_the_alternative():
    delivery = Delivery(
        id=1,
        channel="email",
        recipient="erin@example.com",
        subject="Hi",
        body="Plain words\n",
        payload={"html": "<p>Rich words</p>"},
        attempts=0,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    built = build_email(delivery, "Inward <inward@example.com>")
    assert built.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in built.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert "Plain words" in built.get_body(("plain",)).get_content()
