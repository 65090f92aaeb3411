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
