"""Record who changed what. Called by services inside their own transaction (never commits).

    audit.record(actor, "department.update", department, changes=audit.diff(before, after))
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from flask import has_request_context, request

from portal.extensions import db
from portal.models import AuditEntry, User

# What each recorded action reads as in the audit log (one table; a test checks that every
# action the portal records is in it). The code stays the filter's and the CSV's key.
ACTION_WORDS = {
    "article.archive": "Archived a help article",
    "article.create": "Wrote a help article",
    "article.publish": "Published a help article",
    "article.restore": "Restored an earlier version of a help article",
    "article.update": "Changed a help article",
    "approval.approve": "Approved a request",
    "approval.delegate": "Asked someone else to decide on a request",
    "approval.reassign": "Moved an absent approver’s approval to someone else",
    "approval.reject": "Rejected a request",
    "approval_step.add": "Added an approval step to a service",
    "approval_step.move": "Moved an approval step",
    "approval_step.remove": "Removed an approval step from a service",
    "bundle.cancel": "Cancelled a started bundle and its open requests",
    "bundle.create": "Added a bundle",
    "bundle.field.add": "Added a question to a bundle",
    "bundle.resolve": "A started bundle was resolved with its last request",
    "bundle.start": "Started a bundle",
    "bundle.step.add": "Added a step to a bundle",
    "bundle.step.update": "Changed a step of a bundle",
    "chain.link_declare": "Declared whom the department serves or relies on",
    "chain.link_remove": "Removed a link of the value chain",
    "chain.checkup_open": "Opened a relationship check-up with a department it serves",
    "contact.add": "Added a contact",
    "contact.remove": "Removed a contact",
    "contact.reorder": "Reordered the contacts",
    "goal.contribute": "Linked a service to a company goal",
    "goal.publish": "Published a company goal",
    "department.archive": "Archived a department",
    "department.calendar": "Changed the time zone, holidays or closures",
    "department.create": "Created a department",
    "department.hours": "Changed the opening hours",
    "department.import_create": "Created a department by import",
    "department.import_update": "Changed a department by import",
    "department.merge": "Merged a department into another",
    "department.merge_into": "Took in a merged department",
    "department.rename": "Renamed a department",
    "department.restore": "Restored a department",
    "department.standards": "Changed the response standards",
    "department.team_mail": "Chose the e-mails the team mailbox gets",
    "department.team_mail_unsubscribe": "Team mailbox unsubscribed from a kind of e-mail",
    "department.update": "Changed the department’s details",
    "form.field.add": "Added a question to a request form",
    "form.field.move": "Moved a question on a request form",
    "form.field.remove": "Removed a question from a request form",
    "form.field.update": "Changed a question on a request form",
    "guest.accept": "Accepted a guest invitation",
    "guest.end": "Ended a guest’s access",
    "guest.expire": "A guest’s access ended on its day",
    "guest.extend": "Extended a guest’s access",
    "guest.import": "Invited a guest by import",
    "guest.invite": "Invited a partner or vendor as a guest",
    "mail_preferences.unsubscribe": "Unsubscribed from a kind of e-mail by its link",
    "mail_preferences.update": "Changed which e-mails they get",
    "member.add": "Added a member",
    "member.remove": "Removed a member",
    "member.role": "Changed a member’s role",
    "org.import": "Imported people or departments",
    "person.deactivate": "Deactivated a person",
    "person.import_create": "Added a person by import",
    "person.import_deactivate": "Deactivated a person by import",
    "person.import_update": "Changed a person by import",
    "person.make_admin": "Made a person an admin",
    "person.oidc_create": "Added at their first single sign-on (just-in-time account)",
    "person.reactivate": "Reactivated a person",
    "person.unmake_admin": "Took away a person’s admin rights",
    "recognition.delete": "Deleted a wall post",
    "signin.oidc": "Signed in with single sign-on (OpenID Connect)",
    "signin.oidc_refused": "Refused a single sign-on (OpenID Connect)",
    "recognition.hide": "Hid a wall post",
    "recognition.report": "Reported a wall post",
    "recognition.restore": "Showed a hidden wall post again",
    "service.archive": "Archived a service",
    "service.create": "Added a service",
    "service.reorder": "Reordered the services",
    "service.restore": "Restored a service",
    "service.standards": "Changed a service’s response standards",
    "service.update": "Changed a service’s details",
    "synonym.create": "Added words search treats as the same",
    "synonym.delete": "Removed a group of search synonyms",
    "synonym.update": "Changed a group of search synonyms",
    "service_account.create": "Made a service account for an integration",
    "service_account.deactivate": "Switched a service account off",
    "service_account.reactivate": "Switched a service account on again",
    "token.create": "Made an access token",
    "token.revoke": "Revoked an access token",
    "value.add": "Added a company value",
    "value.edit": "Changed a company value",
    "value.restore": "Brought back a company value",
    "value.retire": "Retired a company value",
}

# What the objects are called (table names otherwise, with spaces).
OBJECT_WORDS = {
    "user_account": "person",
    "department_membership": "membership",
    "request_field": "question",
    "org_import": "import",
    "recognition": "wall post",
    "knowledge_article": "help article",
    "api_token": "access token",
    "approval_step": "approval step",
    "bundle_field": "bundle question",
    "bundle_step": "bundle step",
    "bundle_run": "started bundle",
}


def action_words(action: str) -> str:
    """The audit log's words for an action code (the code itself for one not listed)."""
    return ACTION_WORDS.get(action, action)


def object_words(object_type: str) -> str:
    return OBJECT_WORDS.get(object_type, (object_type or "").replace("_", " "))


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _address(explicit: str | None) -> str:
    if explicit is not None:
        return explicit[:64]
    # The one place outside accounts that reads the request: where a change came from
    # is part of the record, and passing it through every service signature adds nothing.
    if has_request_context():
        return (request.remote_addr or "")[:64]
    return "cli"


def record(
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    label: str | None = None,
    department_id: int | None = None,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    address: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction. `obj` (a model instance) fills in
    its type, id, label and department when they are not given."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        if label is None:
            label = str(getattr(obj, "name", None) or getattr(obj, "key", None) or "")
        if department_id is None:
            department_id = getattr(obj, "department_id", None)
            if department_id is None and object_type == "department":
                department_id = object_id
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        address=_address(address),
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        object_label=(label or "")[:200],
        department_id=department_id,
        changes=changes or None,
        note=note,
    )
    db.session.add(entry)
    return entry
