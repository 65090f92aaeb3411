"""What the REST API reads and writes, as marshmallow schemas (APIFlask turns them into the
OpenAPI 3.1 document at /api/v1/openapi.json). Input schemas refuse unknown fields."""

from __future__ import annotations

from apiflask import Schema, fields, validators
from marshmallow import RAISE, ValidationError

from portal.core.ids import MAX_ID
from portal.core.text import text_problem
from portal.models import FieldKind, Priority, RequestStatus

_PRIORITIES = [p.value for p in Priority]


class Strict(Schema):
    class Meta:
        unknown = RAISE


def one_line(value: str) -> None:
    """The portal's one text rule for a name, an address or a slug: one line, no control
    characters (NUL, escapes)."""
    problem = text_problem(value, multiline=False)
    if problem:
        raise ValidationError(problem)


def typed_text(value: str) -> None:
    """The one text rule for what people write: no control characters."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem)


# --- directory -----------------------------------------------------------------------------


class OpenNow(Schema):
    open = fields.Boolean(required=True)
    headline = fields.String(required=True, metadata={"example": "Open now"})
    detail = fields.String(required=True, metadata={"example": "until 17:00"})
    next_change = fields.AwareDateTime(allow_none=True, required=True)


class DayHours(Schema):
    weekday = fields.String(required=True)
    hours = fields.String(required=True, metadata={"example": "09:00–17:00"})


class PromiseOut(Schema):
    priority = fields.String(required=True, validate=validators.OneOf(_PRIORITIES))
    first_response_minutes = fields.Integer(required=True)
    resolution_minutes = fields.Integer(required=True)
    first_response = fields.String(required=True, metadata={"example": "4 business hours"})
    resolution = fields.String(required=True)


class DepartmentOut(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    mission = fields.String(required=True)
    description = fields.String(required=True)
    timezone = fields.String(required=True)
    open_now = fields.Nested(OpenNow, required=True)
    hours = fields.List(fields.Nested(DayHours), required=True)
    promises = fields.List(fields.Nested(PromiseOut), required=True)


class FormFieldOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    help_text = fields.String(required=True)
    kind = fields.String(required=True, validate=validators.OneOf([k.value for k in FieldKind]))
    required = fields.Boolean(required=True)
    options = fields.List(fields.String(), allow_none=True, required=True)
    min_value = fields.Float(allow_none=True, required=True)
    max_value = fields.Float(allow_none=True, required=True)
    show_when_key = fields.String(allow_none=True, required=True)
    show_when_value = fields.String(allow_none=True, required=True)


class ServiceOut(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    summary = fields.String(required=True)
    category = fields.String(required=True)
    promises = fields.List(fields.Nested(PromiseOut), required=True)
    form = fields.List(fields.Nested(FormFieldOut), required=True)


class ServiceList(Schema):
    department = fields.String(required=True)
    services = fields.List(fields.Nested(ServiceOut), required=True)


class SearchQuery(Strict):
    q = fields.String(required=True, validate=validators.Length(min=1, max=200))


class SearchHit(Schema):
    kind = fields.String(
        required=True, validate=validators.OneOf(["service", "article", "department", "person"])
    )
    title = fields.String(required=True)
    department = fields.String(allow_none=True, required=True)
    path = fields.String(required=True)


class SearchOut(Schema):
    query = fields.String(required=True)
    hits = fields.List(fields.Nested(SearchHit), required=True)


# --- requests ------------------------------------------------------------------------------


class RequestRow(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(
        required=True, validate=validators.OneOf([s.value for s in RequestStatus])
    )
    group = fields.String(required=True, validate=validators.OneOf(["needs_you", "open", "closed"]))
    department = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(allow_none=True, required=True)


class MineQuery(Strict):
    mine = fields.String(metadata={"description": "Your requests (the one list for now)."})
    cursor = fields.String(validate=validators.Length(min=1, max=120))


class RequestPage(Schema):
    requests = fields.List(fields.Nested(RequestRow), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ClockOut(Schema):
    state = fields.String(required=True, metadata={"example": "on_track"})
    target_minutes = fields.Integer(required=True)
    elapsed_minutes = fields.Float(required=True)
    due_at = fields.AwareDateTime(allow_none=True, required=True)
    stopped_at = fields.AwareDateTime(allow_none=True, required=True)


class AnswerOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)
    value = fields.Raw(required=True, metadata={"type": ["string", "number", "array"]})
    display = fields.String(required=True)


class RequestOut(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    status = fields.String(
        required=True, validate=validators.OneOf([s.value for s in RequestStatus])
    )
    priority = fields.String(required=True, validate=validators.OneOf(_PRIORITIES))
    department = fields.String(required=True)
    service = fields.String(required=True)
    requester = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    answers = fields.List(fields.Nested(AnswerOut), required=True)
    clock = fields.String(required=True, metadata={"example": "on_track"})
    version = fields.Integer(required=True, metadata={"description": "Send it back when "
                             "you change the request (PATCH)."})
    first_response = fields.Nested(ClockOut, required=True)
    resolution = fields.Nested(ClockOut, required=True)


class RequestIn(Strict):
    department = fields.String(required=True, validate=validators.Length(min=1, max=64))
    service = fields.String(required=True, validate=validators.Length(min=1, max=64))
    title = fields.String(required=True, validate=validators.Length(min=1, max=200))
    description = fields.String(required=True, validate=validators.Length(min=1, max=10_000))
    priority = fields.String(load_default="normal", validate=validators.OneOf(_PRIORITIES))
    on_behalf_of = fields.Email(validate=validators.Length(max=254))
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(validate=validators.Length(min=1, max=40)),
        values=fields.Raw(metadata={"type": ["string", "number", "array"]}),
        load_default=dict,
        metadata={"description": "The service's own questions, by key (see its form)."},
    )


class ReplyIn(Strict):
    body = fields.String(required=True, validate=validators.Length(min=1, max=10_000))


class ReplyOut(Schema):
    key = fields.String(required=True)
    status = fields.String(required=True)
    at = fields.AwareDateTime(required=True)


class RequestChangeIn(Strict):
    """The department's side of a request: the request page's panel, as JSON."""

    version = fields.Integer(
        validate=validators.Range(min=0, max=MAX_ID),
        metadata={"description": "The `version` you read: a later change by someone else "
                  "answers 409 instead of being overwritten."},
    )
    assignee = fields.String(
        validate=[validators.Length(min=1, max=254), one_line],
        metadata={"description": "A colleague of the department (e-mail address or "
                  "@handle), or `none` to unassign."},
    )
    status = fields.String(validate=validators.OneOf([s.value for s in RequestStatus]))
    priority = fields.String(validate=validators.OneOf(_PRIORITIES))
    department = fields.String(
        validate=[validators.Length(min=1, max=64), one_line],
        metadata={"description": "Transfer to this department (its slug); needs a `message`."},
    )
    message = fields.String(
        validate=[validators.Length(min=1, max=10_000), typed_text],
        metadata={"description": "To the requester with a status change; the reason of a "
                  "transfer."},
    )


class ChangeOut(Schema):
    key = fields.String(required=True)
    changes = fields.List(fields.String(), required=True)
    still_visible = fields.Boolean(
        required=True, metadata={"description": "false after a transfer out of your sight"}
    )


class NoteIn(Strict):
    body = fields.String(required=True, validate=validators.Length(min=1, max=10_000))


class NoteOut(Schema):
    key = fields.String(required=True)
    at = fields.AwareDateTime(required=True)
