"""The form builder: the questions of a service's request form."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import audit
from portal.core.errors import NotFound
from portal.core.text import text_problem
from portal.extensions import db
from portal.manage.services.access import service_of
from portal.manage.services.rules import (
    Invalid,
    locked_change,
    move_in_list,
    order_words,
    text_field,
)
from portal.models import (
    Department,
    FieldKind,
    RequestField,
    Service,
    User,
)

# Form builder -----------------------------------------------------------------------

KIND_LABELS = {
    FieldKind.SHORT_TEXT: "Short text",
    FieldKind.LONG_TEXT: "Long text (several lines)",
    FieldKind.CHOICE: "Choose one from a list",
    FieldKind.MULTI_CHOICE: "Choose any from a list (checkboxes)",
    FieldKind.YES_NO: "Yes or no",
    FieldKind.DATE: "Date",
    FieldKind.NUMBER: "Number",
    FieldKind.EMAIL: "E-mail address",
    FieldKind.PERSON: "A colleague (type-ahead)",
    FieldKind.FILE: "File attachment",
}
WITH_OPTIONS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)
CONTROLLERS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.YES_NO)
FIELD_AUDIT = [
    "label",
    "help_text",
    "kind",
    "required",
    "options",
    "min_value",
    "max_value",
    "show_when_key",
    "show_when_value",
]


@dataclass
class FieldChange:
    label: str
    kind: str
    required: bool = True
    help_text: str = ""
    options: str = ""  # one a line
    min_value: str = ""
    max_value: str = ""
    show_when_key: str = ""
    show_when_value: str = ""


def form_fields(service: Service) -> list[RequestField]:
    return list(
        db.session.scalars(
            select(RequestField)
            .where(RequestField.service_id == service.id, RequestField.active)
            .order_by(RequestField.position, RequestField.id)
        )
    )


def field_options(field: RequestField) -> list[str]:
    if field.kind is FieldKind.YES_NO:
        return ["yes", "no"]
    return list(field.options or [])


def _field_key(service: Service, label: str) -> str:
    taken = set(
        db.session.scalars(select(RequestField.key).where(RequestField.service_id == service.id))
    )
    return field_key(label, taken)


def field_key(label: str, taken: set[str]) -> str:
    """A question's machine name from its label, unique among `taken` (a bundle's form
    takes its keys the same way, portal/fulfilment)."""
    base = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", base).strip("_")[:30] or "question"
    if base[0].isdigit():
        base = f"q_{base}"[:30]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _number(errors: dict[str, str], name: str, label: str, text: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text) if len(text) <= 20 else float("nan")
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        errors[name] = f"{label} must be a number, like 1 or 2.5."
        return None
    return value


def _validated_field(service: Service, change: FieldChange, field: RequestField | None) -> dict:
    return checked_field_values(form_fields(service), change, field)


def checked_field_values(fields: list, change: FieldChange, field=None) -> dict:
    """A question's values checked against the other questions of its form (`fields`:
    a service's RequestFields, or a bundle's BundleFields, which have the same shape);
    `Invalid` with a message per input otherwise."""
    errors: dict[str, str] = {}
    label = text_field(errors, "label", "The question", change.label, 200, required=True)
    help_text = text_field(errors, "help_text", "The hint", change.help_text, 500)
    try:
        kind = FieldKind(change.kind)
    except ValueError:
        errors["kind"] = "Choose what kind of answer the question takes."
        kind = None
    options = _options(errors, change.options) if kind in WITH_OPTIONS else None
    min_value = max_value = None
    if kind is FieldKind.NUMBER:
        min_value = _number(errors, "min_value", "The smallest number", change.min_value)
        max_value = _number(errors, "max_value", "The largest number", change.max_value)
        if min_value is not None and max_value is not None and min_value > max_value:
            errors["max_value"] = "The largest number must not be smaller than the smallest."
    show_key = (change.show_when_key or "").strip()
    show_value = (change.show_when_value or "").strip()
    _check_condition(errors, fields, field, show_key, show_value)
    if field is not None and kind is not None:
        _check_dependents(errors, fields, field, kind, options)
    if errors:
        raise Invalid(errors)
    return {
        "label": label,
        "help_text": help_text,
        "kind": kind,
        "required": bool(change.required),
        "options": options,
        "min_value": min_value,
        "max_value": max_value,
        "show_when_key": show_key or None,
        "show_when_value": show_value or None,
    }


def _options(errors: dict[str, str], text: str | None) -> list[str]:
    """The options of a list question, one a line."""
    options: list[str] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) > 200 or text_problem(line, multiline=False) is not None:
            errors["options"] = "Each option must be 200 plain characters or fewer."
        elif line in options:
            errors["options"] = f"“{line[:60]}” is listed twice. List each option once."
        else:
            options.append(line)
    if "options" not in errors and len(options) < 2:
        errors["options"] = "List at least two options, one a line."
    elif len(options) > 50:
        errors["options"] = "List at most 50 options."
    return options


def _check_condition(
    errors: dict[str, str],
    fields: list[RequestField],
    field: RequestField | None,
    show_key: str,
    show_value: str,
) -> None:
    """"Show only when": a list or yes/no question asked before this one, and one of its
    answers."""
    if not show_key:
        if show_value:
            errors["show_when_key"] = "Choose which question this depends on, or clear the answer."
        return
    controller = next((f for f in fields if f.key == show_key), None)
    own_index = fields.index(field) if field in fields else len(fields)
    if controller is None or controller is field:
        errors["show_when_key"] = "Choose a question of this form that comes before this one."
    elif fields.index(controller) >= own_index:
        errors["show_when_key"] = (
            f"“{controller.label}” comes after this question. A question can only depend "
            "on one asked before it."
        )
    elif controller.kind not in CONTROLLERS:
        errors["show_when_key"] = (
            f"“{controller.label}” has no options. Choose a list or yes/no question."
        )
    elif show_value not in field_options(controller):
        allowed = ", ".join(f"“{o}”" for o in field_options(controller))
        errors["show_when_value"] = f"Choose one of the answers to “{controller.label}”: {allowed}."


def _check_dependents(
    errors: dict[str, str],
    fields: list[RequestField],
    field: RequestField,
    kind: FieldKind,
    options: list[str] | None,
) -> None:
    """A question others depend on keeps the kind and the answers they are shown for."""
    for dependent in fields:
        if dependent.show_when_key != field.key:
            continue
        if kind not in CONTROLLERS:
            errors["kind"] = (
                f"“{dependent.label}” is shown only for an answer to this question, so it "
                "must stay a list or yes/no question."
            )
        elif dependent.show_when_value not in (
            ["yes", "no"] if kind is FieldKind.YES_NO else options or []
        ):
            errors["options"] = (
                f"“{dependent.label}” is shown when the answer is "
                f"“{dependent.show_when_value}”; keep that option or change that question "
                "first."
            )


def preview_fields(
    actor: User,
    department: Department,
    service: Service,
    change: FieldChange,
    field: RequestField | None = None,
) -> tuple[list[RequestField], str | None]:
    """The form's questions with a draft applied (the new question last, or the edited
    one changed in place), for the live preview; nothing is saved. The draft's problems
    come back as a message instead (the preview then shows the form as it is)."""
    service = service_of(actor, department, service.id)
    if field is not None:
        field = get_field(actor, department, service, field.id)
    fields = form_fields(service)
    try:
        values = _validated_field(service, change, field)
    except Invalid as exc:
        return fields, next(iter(exc.errors.values()))
    draft = RequestField(
        service_id=service.id,
        key=field.key if field is not None else "draft_question",
        position=0,
        active=True,
        **values,
    )
    if field is None:
        return [*fields, draft], None
    return [draft if f.id == field.id else f for f in fields], None


def _field_snapshot(field: RequestField) -> dict:
    data = audit.snapshot(field, FIELD_AUDIT)
    data["options"] = "\n".join(field.options or [])
    return data


def add_field(
    actor: User, department: Department, service: Service, change: FieldChange
) -> RequestField:
    service = service_of(actor, department, service.id)
    values = _validated_field(service, change, None)
    with locked_change(department):
        position = db.session.scalar(
            select(func.coalesce(func.max(RequestField.position), -1) + 1).where(
                RequestField.service_id == service.id
            )
        )
        field = RequestField(
            service_id=service.id,
            key=_field_key(service, values["label"]),
            position=position,
            active=True,
            **values,
        )
        db.session.add(field)
        db.session.flush()
        audit.record(
            actor,
            "form.field.add",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes=audit.diff({}, _field_snapshot(field)),
        )
    return field


def get_field(actor: User, department: Department, service: Service, field_id: int) -> RequestField:
    service = service_of(actor, department, service.id)
    field = db.session.get(RequestField, field_id) if isinstance(field_id, int) else None
    if field is None or field.service_id != service.id or not field.active:
        raise NotFound
    return field


def update_field(
    actor: User, department: Department, service: Service, field: RequestField, change: FieldChange
) -> None:
    field = get_field(actor, department, service, field.id)
    values = _validated_field(service, change, field)
    before = _field_snapshot(field)
    with locked_change(department):
        for name, value in values.items():
            setattr(field, name, value)
        changes = audit.diff(before, _field_snapshot(field))
        if changes:
            audit.record(
                actor,
                "form.field.update",
                field,
                label=f"{service.name}: {field.label}",
                department_id=department.id,
                changes=changes,
            )


def move_field(
    actor: User, department: Department, service: Service, field: RequestField, direction: str
) -> None:
    """Move a question up or down; refused when it would come before the question it
    depends on (or after one that depends on it)."""
    field = get_field(actor, department, service, field.id)
    fields = form_fields(service)
    before = order_words(f.label for f in fields)
    if not move_in_list(fields, field, direction):
        return
    seen: set[str] = set()
    for item in fields:
        if item.show_when_key and item.show_when_key not in seen:
            controller = next(f for f in fields if f.key == item.show_when_key)
            raise Invalid(
                {
                    "move": (
                        f"“{item.label}” depends on “{controller.label}”, so it must stay after it."
                    )
                }
            )
        seen.add(item.key)
    with locked_change(department):
        for position, item in enumerate(fields):
            item.position = position
        audit.record(
            actor,
            "form.field.move",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes={"order": [before, order_words(f.label for f in fields)]},
            note=f"moved {direction}",
        )


def remove_field(
    actor: User, department: Department, service: Service, field: RequestField
) -> None:
    """The question leaves the form; requests already sent keep their answers to it."""
    field = get_field(actor, department, service, field.id)
    dependents = [f for f in form_fields(service) if f.show_when_key == field.key]
    if dependents:
        raise Invalid(
            {
                "remove": (
                    f"“{dependents[0].label}” is shown only for an answer to “{field.label}”. "
                    "Change or remove that question first."
                )
            }
        )
    with locked_change(department):
        field.active = False
        audit.record(
            actor,
            "form.field.remove",
            field,
            label=f"{service.name}: {field.label}",
            department_id=department.id,
            changes={"active": [True, False]},
        )
