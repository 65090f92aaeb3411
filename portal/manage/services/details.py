"""A department's details (mission, how to reach it, …): one form, one audited change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal import audit
from portal.directory import search
from portal.manage.services.access import check_manager
from portal.manage.services.rules import EMAIL_PATTERN, Invalid, locked_change, text_field
from portal.models import (
    Department,
    User,
)
from portal.notify.urls import check_webhook_url

# Department details -----------------------------------------------------------------

DETAIL_FIELDS = [
    "mission",
    "description",
    "email",
    "phone",
    "chat_channel",
    "location",
    "webhook_url",
]


def snapshot_details(department: Department) -> dict[str, str]:
    return {name: getattr(department, name) or "" for name in DETAIL_FIELDS}


@dataclass
class DetailsChange:
    mission: str = ""
    description: str = ""
    email: str = ""
    phone: str = ""
    chat_channel: str = ""
    location: str = ""
    webhook_url: str = ""


def update_details(actor: User, department: Department, change: DetailsChange) -> None:
    check_manager(actor, department)
    errors: dict[str, str] = {}
    values = {
        "mission": text_field(errors, "mission", "The mission line", change.mission, 200),
        "description": text_field(
            errors, "description", "The description", change.description, 5000, multiline=True
        ),
        "email": text_field(errors, "email", "The team mailbox", change.email, 254),
        "phone": text_field(errors, "phone", "The phone number", change.phone, 40),
        "chat_channel": text_field(
            errors, "chat_channel", "The chat channel", change.chat_channel, 120
        ),
        "location": text_field(errors, "location", "Where to find you", change.location, 200),
        "webhook_url": text_field(
            errors, "webhook_url", "The chat webhook", change.webhook_url, 2000
        ),
    }
    if values["email"] and "email" not in errors and not EMAIL_PATTERN.fullmatch(values["email"]):
        errors["email"] = "Enter the team mailbox as an e-mail address, like it@example.com."
    if (
        values["phone"]
        and "phone" not in errors
        and not re.fullmatch(r"[0-9+() .-]{3,40}", values["phone"])
    ):
        errors["phone"] = "Enter the phone number with digits, spaces and + ( ) - only."
    if values["webhook_url"] and "webhook_url" not in errors:
        problem = check_webhook_url(values["webhook_url"])
        if problem:
            errors["webhook_url"] = f"The chat webhook cannot be used: {problem}"
    if errors:
        raise Invalid(errors)
    before = audit.snapshot(department, DETAIL_FIELDS)
    with locked_change(department):
        department.mission = values["mission"]
        department.description = values["description"]
        for name in ("email", "phone", "chat_channel", "location", "webhook_url"):
            setattr(department, name, values[name] or None)
        changes = audit.diff(before, audit.snapshot(department, DETAIL_FIELDS))
        if "webhook_url" in changes:
            # A webhook address carries its own secret: the trail says that it changed.
            was, now = changes["webhook_url"]
            changes["webhook_url"] = [
                "set" if was else None,
                "changed" if was and now else ("set" if now else None),
            ]
        if changes:
            audit.record(actor, "department.update", department, changes=changes)
            search.index_department(department)
