"""What the REST API reads and writes for the recognition wall and the scorecards."""

from __future__ import annotations

from apiflask import Schema, fields, validators

from portal.api.schemas import Strict, one_line, typed_text
from portal.core.ids import MAX_ID
from portal.insights.scorecard import WINDOWS
from portal.models import ReactionKind, Visibility

_KINDS = [k.value for k in ReactionKind]
_SEEN_BY = [v.value for v in Visibility]


class ValueOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)


class ValueList(Schema):
    values = fields.List(fields.Nested(ValueOut), required=True)


class WallQueryIn(Strict):
    department = fields.String(
        validate=[validators.Length(min=1, max=64), one_line],
        metadata={"description": "Thanks given or received by this department (its slug)."},
    )
    value = fields.Integer(
        validate=validators.Range(min=1, max=MAX_ID),
        metadata={"description": "Thanks for this company value (its id, see /values)."},
    )
    person = fields.Integer(
        validate=validators.Range(min=1, max=MAX_ID),
        metadata={"description": "Thanks this person (their id) gave or received."},
    )
    mentions = fields.String(
        validate=validators.OneOf(["me"]), metadata={"description": "`me`: thanks naming you."}
    )
    cursor = fields.Integer(
        validate=validators.Range(min=1, max=MAX_ID),
        metadata={"description": "The `next_cursor` of the page before."},
    )


class PersonRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)


class ReactionOut(Schema):
    kind = fields.String(required=True, validate=validators.OneOf(_KINDS))
    count = fields.Integer(required=True)
    mine = fields.Boolean(required=True)


class RecognitionOut(Schema):
    id = fields.Integer(required=True)
    author = fields.Nested(PersonRef, required=True)
    people = fields.List(fields.Nested(PersonRef), required=True)
    teams = fields.List(fields.String(), required=True, metadata={"description": "slugs"})
    value = fields.String(required=True)
    message = fields.String(required=True)
    message_html = fields.String(
        required=True, metadata={"description": "The message as the wall shows it (sanitised)."}
    )
    visibility = fields.String(required=True, validate=validators.OneOf(_SEEN_BY))
    created_at = fields.AwareDateTime(required=True)
    reactions = fields.List(fields.Nested(ReactionOut), required=True)
    addons = fields.Integer(required=True, metadata={"description": "How many joined in."})
    path = fields.String(required=True)


class RecognitionOnWall(RecognitionOut):
    """A thanks in a page of the wall (its own name in the document: one schema class is
    either an operation's answer or nested, never both)."""


class RecognitionPage(Schema):
    recognitions = fields.List(fields.Nested(RecognitionOnWall), required=True)
    next_cursor = fields.Integer(allow_none=True, required=True)


class RecognitionIn(Strict):
    people = fields.List(
        fields.String(validate=[validators.Length(min=1, max=254), one_line]),
        validate=validators.Length(max=50),
        load_default=list,
        metadata={"description": "Colleagues to thank: e-mail addresses or @handles."},
    )
    teams = fields.List(
        fields.String(validate=[validators.Length(min=1, max=64), one_line]),
        validate=validators.Length(max=20),
        load_default=list,
        metadata={"description": "Whole teams to thank: department slugs."},
    )
    value = fields.Integer(required=True, validate=validators.Range(min=1, max=MAX_ID))
    message = fields.String(
        required=True, validate=[validators.Length(min=1, max=10_000), typed_text]
    )
    visibility = fields.String(
        load_default="public", validate=validators.OneOf(_SEEN_BY)
    )
    request = fields.String(
        validate=[validators.Length(min=1, max=24), one_line],
        metadata={"description": "The key of a request of yours this thanks is for."},
    )


class AddOnIn(Strict):
    message = fields.String(
        required=True, validate=[validators.Length(min=1, max=2_000), typed_text]
    )


class AddOnOut(Schema):
    recognition = fields.Integer(required=True)
    message = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class ReactionList(Schema):
    reactions = fields.List(fields.Nested(ReactionOut), required=True)


# --- scorecards ----------------------------------------------------------------------------


class FigureOut(Schema):
    count = fields.Integer(required=True)
    median_minutes = fields.Float(allow_none=True, required=True)
    p90_minutes = fields.Float(allow_none=True, required=True)
    within_promise = fields.Float(
        allow_none=True, required=True, metadata={"description": "0–1; null below the sample"}
    )


class ScorecardRow(Schema):
    priority = fields.String(allow_none=True, required=True, metadata={"description": "null: all"})
    first_response = fields.Nested(FigureOut, required=True)
    resolution = fields.Nested(FigureOut, required=True)
    rating_average = fields.Float(allow_none=True, required=True)
    ratings = fields.Integer(required=True)
    open_now = fields.Integer(allow_none=True, required=True)


class ScorecardQuery(Strict):
    days = fields.Integer(
        load_default=30,
        validate=validators.OneOf(WINDOWS),
        metadata={"description": "The window in days: 30 or 90."},
    )


class ScorecardOut(Schema):
    department = fields.String(required=True)
    days = fields.Integer(required=True)
    minutes_are = fields.String(
        required=True, metadata={"example": "business minutes of the department's own hours"}
    )
    refreshed_at = fields.AwareDateTime(allow_none=True, required=True)
    rows = fields.List(fields.Nested(ScorecardRow), required=True)
