"""The shared seams: outbox rows and audit entries join the caller's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import AuditEntry, Notification, OutboxMessage, OutboxStatus
from portal.notify import outbox


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_enqueued_email_exists_only_when_the_change_commits(app, make_user):
    user = make_user()
    outbox.enqueue_email(user.email, "Hello", "Body", topic="test.hello")
    db.session.rollback()
    assert count(OutboxMessage) == 0

    outbox.enqueue_email(user.email, "Hello", "Body", topic="test.hello")
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxStatus.PENDING and message.attempts == 0
    assert message.recipient == user.email and message.topic == "test.hello"


def test_a_dedupe_key_lets_a_message_out_once_and_keeps_the_transaction(app, make_user):
    user = make_user()
    first = outbox.enqueue_webhook(
        "https://hooks.example.com/x", {"text": "breached"}, topic="t", dedupe_key="k1"
    )
    db.session.commit()
    second = outbox.enqueue_webhook(
        "https://hooks.example.com/x", {"text": "breached"}, topic="t", dedupe_key="k1"
    )
    outbox.notify_user(user, "t", "still saved", "/requests/X-1")
    db.session.commit()
    assert first is not None and second is None
    assert count(OutboxMessage) == 1
    assert count(Notification) == 1


@pytest.mark.parametrize(
    "link", ["https://evil.example.com/", "//evil.example.com", "javascript:x"]
)
def test_a_notification_links_to_local_paths_only(app, make_user, link):
    with pytest.raises(ValueError):
        outbox.notify_user(make_user(), "t", "text", link)


def test_an_audit_entry_records_who_what_and_the_changed_fields(app, make_user, make_department):
    admin = make_user(is_admin=True)
    department = make_department(name="Facilities")
    before = audit.snapshot(department, ["name", "timezone"])
    department.name = "Workplace"
    entry = audit.record(
        admin,
        "department.update",
        department,
        changes=audit.diff(before, audit.snapshot(department, ["name", "timezone"])),
        address="10.0.0.7",
    )
    db.session.commit()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored.actor_id == admin.id and stored.address == "10.0.0.7"
    assert stored.object_type == "department" and stored.department_id == department.id
    assert stored.object_label == "Workplace"
    assert stored.changes == {"name": ["Facilities", "Workplace"]}


def test_audit_outside_a_request_says_cli(app):
    entry = audit.record(None, "org.import", object_type="import", note="0 changed")
    assert entry.address == "cli" and entry.actor_id is None
