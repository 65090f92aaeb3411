"""Wall forms. They parse; the rules (who, how long, which value) are in services.py,
which names the field a refusal is about so the view can show it beside that field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.accounts.forms import without_nul
from portal.models import CompanyValue, ReactionKind
from portal.recognition import services


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RecognitionForm(FlaskForm):
    recipients = StringField("Who are you thanking?", filters=[without_nul, _stripped], default="")
    value = RadioField(
        "Which company value did they show?", coerce=_int_or_none, validate_choice=False
    )
    message = TextAreaField("What did they do?", filters=[without_nul], default="")
    visibility = RadioField(
        "Who can see it?",
        choices=[
            SelectChoice("public", "Everyone at the company"),
            SelectChoice("department", "Only the recipients' departments"),
        ],
        default="public",
        validate_choice=False,
    )
    request_key = HiddenField(filters=[without_nul, _stripped])

    def __init__(self, *args, values: list[CompanyValue] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.value.choices = [SelectChoice(v.id, v.name) for v in (values or [])]
        self.values = values or []

    def refuse(self, error: services.WallError) -> None:
        target = getattr(self, error.field or "message", None) or self.message
        target.errors = [*list(target.errors), error.message]


class EditForm(FlaskForm):
    value = RadioField(
        "Which company value did they show?", coerce=_int_or_none, validate_choice=False
    )
    message = TextAreaField("What did they do?", filters=[without_nul], default="")

    def __init__(self, *args, values: list[CompanyValue] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.value.choices = [SelectChoice(v.id, v.name) for v in (values or [])]
        self.values = values or []

    def refuse(self, error: services.WallError) -> None:
        target = getattr(self, error.field or "message", None) or self.message
        target.errors = [*list(target.errors), error.message]


class ReactionForm(FlaskForm):
    kind = HiddenField(filters=[without_nul])

    def valid_kind(self) -> bool:
        return self.kind.data in {k.value for k in ReactionKind}


class AddOnForm(FlaskForm):
    message = StringField("Add to the thanks", filters=[without_nul, _stripped], default="")

    def refuse(self, error: services.WallError) -> None:
        self.message.errors = [*list(self.message.errors), error.message]


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", filters=[without_nul, _stripped], default="")

    def refuse(self, error: services.WallError) -> None:
        self.reason.errors = [*list(self.reason.errors), error.message]


class ValueForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[InputRequired("Enter the value's name")],
        filters=[without_nul, _stripped],
    )
    description = StringField("What it means", filters=[without_nul, _stripped], default="")
    emoji = StringField("Emoji", filters=[without_nul, _stripped], default="")
    colour = SelectField(
        "Colour",
        choices=[SelectChoice(c, c.capitalize()) for c in services.PALETTE],
        default="blue",
        validate_choice=False,
    )

    def refuse(self, error: services.WallError) -> None:
        target = getattr(self, error.field or "name", None) or self.name
        target.errors = [*list(target.errors), error.message]
