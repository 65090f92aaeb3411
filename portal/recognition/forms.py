"""Wall forms. They parse (text through the core Form's rule, every id through
`parse_id`); the rules (who, how long, which value) are in the services, which name the
field a refusal is about so the view can show it beside that field."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.core.errors import Refused
from portal.core.forms import Form, PickedField
from portal.core.ids import parse_id
from portal.core.text import has_control_characters
from portal.directory import picker
from portal.models import ReactionKind
from portal.recognition.services.values import PALETTE


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class _Refusable:
    """A refusal from a service lands beside its field (every one, when there are several)."""

    default_field = "message"

    def refuse(self, error: Refused) -> None:
        for problem in getattr(error, "problems", None) or [error]:
            target = getattr(self, problem.field or self.default_field, None)
            if target is None or not hasattr(target, "errors"):
                target = getattr(self, self.default_field)
            if problem.message not in target.errors:
                target.errors = [*list(target.errors), problem.message]


class _ValueChoices:
    def _set_values(self, values) -> None:
        self.value.choices = [SelectChoice(v.id, v.name) for v in (values or [])]
        self.values = values or []


class RecognitionForm(_Refusable, _ValueChoices, Form):
    recipients = StringField("Who are you thanking?", filters=[_stripped], default="")
    chosen = PickedField(default=list)  # the picker's chips: person-12, department-3
    value = RadioField(
        "Which company value did they show?", coerce=parse_id, validate_choice=False
    )
    message = TextAreaField("What did they do?", default="")
    visibility = RadioField(
        "Who can see it?",
        choices=[
            SelectChoice("public", "Everyone at the company"),
            SelectChoice("department", "Only the recipients' departments"),
        ],
        default="public",
        validate_choice=False,
    )
    request_key = HiddenField(filters=[_stripped])

    def __init__(self, *args, values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_values(values)
        self.candidates: list = []  # when a typed name fits several people: who they are

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.chosen.errors:  # the chips are part of the recipients question
            self.recipients.errors = [*list(self.recipients.errors), *self.chosen.errors]
            self.chosen.errors = []
        return valid

    def refuse(self, error: Refused) -> None:
        super().refuse(error)
        self._keep_candidates(getattr(error, "problems", None) or [error])

    def _keep_candidates(self, problems) -> None:
        for problem in problems:
            self.candidates = self.candidates or getattr(problem, "candidates", [])

    def chips(self) -> list:
        """The people and teams chosen so far, to show again as chips."""
        return picker.chosen_picks(self.chosen.data or [], guests=True)

    def post_fields(self) -> dict:
        """What the author chose and typed, for the posting use case."""
        return {
            "chosen": list(self.chosen.data or []),
            "recipients": self.recipients.data or "",
            "value_id": self.value.data,
            "message": self.message.data or "",
            "visibility": self.visibility.data or "public",
            "request_key": self.request_key.data or None,
        }

    def refuse_others(self, problems: list[Refused]) -> None:
        """The use case's problems beside the fields that have none of their own yet."""
        for problem in problems:
            target = getattr(self, problem.field or "message", self.message)
            if not target.errors:
                target.errors = [problem.message]
        self._keep_candidates(problems)

    def fields_in_order(self) -> list:
        """The fields an error summary lists, in the order the form shows them."""
        return [self.recipients, self.value, self.message, self.visibility]


class EditForm(_Refusable, _ValueChoices, Form):
    value = RadioField(
        "Which company value did they show?", coerce=parse_id, validate_choice=False
    )
    message = TextAreaField("What did they do?", default="")

    def __init__(self, *args, values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_values(values)


class ReactionForm(Form):
    kind = HiddenField()
    next = HiddenField()  # the page the reader reacted on (without JS: back to it)

    def valid_kind(self) -> bool:
        return self.kind.data in {k.value for k in ReactionKind}


class AddOnForm(_Refusable, Form):
    message = StringField("Add to the thanks", filters=[_stripped], default="")


class ReasonForm(_Refusable, Form):
    default_field = "reason"
    reason = TextAreaField("Reason", filters=[_stripped], default="")


class ModerateForm(ReasonForm):
    action = HiddenField()

    @property
    def hide(self) -> bool:
        return self.action.data != "restore"


class ProfileForm(ReasonForm):
    hidden = HiddenField()


class RetireForm(ReasonForm):
    retired = HiddenField(default="1")


class ValueForm(_Refusable, Form):
    default_field = "name"
    name = StringField(
        "Name", validators=[InputRequired("Enter the value's name")], filters=[_stripped]
    )
    description = StringField("What it means", filters=[_stripped], default="")
    emoji = StringField("Emoji", filters=[_stripped], default="")
    colour = SelectField(
        "Colour",
        choices=[SelectChoice(c, c.capitalize()) for c in PALETTE],
        default="blue",
        validate_choice=False,
    )


@dataclass(frozen=True)
class WallQuery:
    """What the wall's query string asks for, parsed: ids through `parse_id` (`²`, -1 or
    20 digits are no id), text bounded and without control characters. (A GET filter
    changes nothing and is read on every view of the wall: parsed directly, without a
    form object, which would cost a tenth of the page.)"""

    department: str = ""
    value_id: int | None = None
    person_id: int | None = None
    mentions_me: bool = False
    before: int | None = None
    to_user: int | None = None
    to_department: str = ""
    request_key: str = ""

    @classmethod
    def from_args(cls, args) -> WallQuery:
        def text(name: str, limit: int) -> str:
            value = args.get(name) or ""
            return "" if has_control_characters(value) else value.strip()[:limit]

        return cls(
            department=text("department", 64).lower(),
            value_id=parse_id(args.get("value")),
            person_id=parse_id(args.get("person")),
            mentions_me=args.get("mentions") == "me",
            before=parse_id(args.get("before")),
            to_user=parse_id(args.get("to")),
            to_department=text("to_department", 64),
            request_key=text("request", 24),
        )
