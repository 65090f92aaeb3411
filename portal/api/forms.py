"""A JSON request body read by the very form the request page uses (the service's own
questions, required fields, choices, numbers, dates, colleagues), so the API and the page
accept and refuse the same things. Files are for the page: a file question cannot be
answered here (it says so beside the field)."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from portal.core.problems import field_error
from portal.models import FieldKind, RequestField
from portal.service_requests.forms import RequestFormBase, build_request_form
from portal.service_requests.services.submission import new_form_token

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,56}$")
COMMON = ("title", "description", "priority", "on_behalf_of")


class BodyProblems(Exception):
    """What is wrong with the body, field by field (RFC 9457 `errors`)."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("invalid body")
        self.errors = errors


def form_token(idempotency_key: str | None) -> str:
    """The submission's form token: the client's Idempotency-Key (the same key gives back
    the same request), or a fresh one."""
    if idempotency_key is None:
        return "api:" + new_form_token()
    if not IDEMPOTENCY_KEY.match(idempotency_key):
        raise BodyProblems(
            [field_error("Idempotency-Key", "Use 1 to 56 letters, digits, or . _ : -")]
        )
    return "api:" + idempotency_key


def _as_text(value) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | str):
        return str(value)
    return None


def _answers(specs: list[RequestField], answers: dict, formdata: MultiDict) -> list[dict]:
    known = {spec.key: spec for spec in specs}
    problems = []
    for key, value in answers.items():
        spec = known.get(key)
        name = f"fields.{key}"
        if spec is None:
            problems.append(field_error(name, "This service has no question with this key."))
        elif spec.kind is FieldKind.FILE:
            problems.append(field_error(name, "Files are attached on the request page."))
        elif isinstance(value, list) and all(_as_text(one) is not None for one in value):
            for one in value:
                formdata.add(f"f_{key}", _as_text(one))
        elif _as_text(value) is not None:
            formdata.add(f"f_{key}", _as_text(value))
        else:
            problems.append(field_error(name, "Give text, a number, or a list of them."))
    return problems


def read_request(specs: list[RequestField], body: dict, token: str) -> RequestFormBase:
    """The validated request form for this body; BodyProblems names every wrong field."""
    formdata = MultiDict({name: body.get(name) or "" for name in COMMON})
    formdata["form_token"] = token
    problems = _answers(specs, body.get("fields_") or {}, formdata)
    form = build_request_form(specs, formdata=formdata, meta={"csrf": False})
    if not form.validate() or problems:
        for name, messages in form.errors.items():
            shown = f"fields.{name[2:]}" if name.startswith("f_") else name
            problems.extend(field_error(shown, message) for message in messages)
        raise BodyProblems(problems)
    return form
