"""Request forms: the common questions plus the fields a service defines (stored as
RequestField rows), built into a WTForms form per service."""

from __future__ import annotations

import math
from datetime import date

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.errors import Refused
from portal.core.forms import Form, PickedField
from portal.core.text import text_problem
from portal.directory import picker
from portal.models import FieldKind, Priority, RequestField, RequestStatus, User
from portal.models.directory import PRIORITY_ORDER
from portal.service_requests import attachments
from portal.service_requests.services import lifecycle, panel

TEXT_LIMITS = {FieldKind.SHORT_TEXT: 200, FieldKind.LONG_TEXT: 5000, FieldKind.EMAIL: 254}
PRIORITY_HINTS = {
    Priority.URGENT: "Urgent — work has stopped for you or others",
    Priority.HIGH: "High — it gets in the way of important work",
    Priority.NORMAL: "Normal — most requests",
    Priority.LOW: "Low — whenever there is time",
}


def _one_line(form, field):
    """A one-line answer takes no line break (control characters: the base Form)."""
    if isinstance(field.data, str):
        problem = text_problem(field.data, multiline=False)
        if problem:
            raise ValidationError(problem)


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberField(StringField):
    """A number typed by a person: finite, within the field's range, clear messages."""

    input_type = "text"

    def __init__(self, *args, minimum=None, maximum=None, **kw):
        super().__init__(*args, **kw)
        self.minimum = minimum
        self.maximum = maximum
        self.number: float | None = None

    def pre_validate(self, form):
        self.number = None
        text = (self.data or "").strip()
        if not text:
            return
        try:
            number = float(text.replace(",", "")) if len(text) <= 40 else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(f"{self.label.text} must be a number, like 12 or 2.5.")
        if self.minimum is not None and number < self.minimum:
            raise ValidationError(f"{self.label.text} must be {_num(self.minimum)} or more.")
        if self.maximum is not None and number > self.maximum:
            raise ValidationError(f"{self.label.text} must be {_num(self.maximum)} or less.")
        self.number = number


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class SensibleDateField(DateField):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 2026-12-01.") from None

    def pre_validate(self, form):
        if isinstance(self.data, date) and not 1900 <= self.data.year <= 2200:
            raise ValidationError(f"{self.label.text} must be a date between 1900 and 2200.")


class ColleagueField(StringField):
    """One colleague, through the people picker (`_macros/picker.html`): the chip chosen
    (sent as `<name>_chosen`: person-12), or, without JavaScript, a name, @handle or e-mail
    address typed in the field itself. A name several people have is asked about: the
    candidates are kept for the template to list beside the field."""

    def __init__(self, *args, required_message: str = "", **kw):
        super().__init__(*args, **kw)
        self.required_message = required_message  # empty: the question may be left out
        self.person: User | None = None
        self.chosen: list[str] = []
        self.candidates: list = []

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.chosen = [v for v in formdata.getlist(f"{self.name}_chosen") if isinstance(v, str)]

    def chips(self) -> list:
        return picker.chosen_picks(self.chosen[-1:]) if self.chosen else []

    def pre_validate(self, form):
        self.person = None
        text = _stripped(self.data) or ""
        token = self.chosen[-1] if self.chosen else ""
        if not text and not token:
            if self.required_message:
                raise StopValidation(self.required_message)
            return
        try:
            self.person = picker.resolve_one(text, token, field=self.name)
        except Refused as refused:
            self.candidates = getattr(refused, "candidates", [])
            raise ValidationError(f"{self.label.text}: {refused.message}") from None


class AttachmentField(FileField):
    def pre_validate(self, form):
        self.upload = None
        storage = self.data
        if storage is None or not getattr(storage, "filename", ""):
            return
        data = storage.read()
        upload = attachments.Upload(storage.filename, data)
        try:
            attachments.check(upload)
        except attachments.AttachmentError as exc:
            raise ValidationError(f"{self.label.text}: {exc}") from None
        self.upload = upload


class QuestionsForm(Form):
    """A form of defined questions (a service's RequestFields, or any rows of the same
    shape, like a bundle's) and its one-time token; the request form adds its common
    questions to it."""

    form_token = HiddenField(
        validators=[DataRequired("Reload the page and try again."), Length(max=64)]
    )

    def __init__(self, *args, request_fields: list[RequestField] = (), **kw):
        super().__init__(*args, **kw)
        self.request_fields = list(request_fields)

    def custom_fields(self):
        return [(spec, self[f"f_{spec.key}"]) for spec in self.request_fields]

    def is_shown(self, spec: RequestField) -> bool:
        """A conditional field counts only when its controlling field has the value."""
        if not spec.show_when_key:
            return True
        controller = next((s for s in self.request_fields if s.key == spec.show_when_key), None)
        if controller is None or not self.is_shown(controller):
            return False
        value = self[f"f_{controller.key}"].data
        if isinstance(value, list):
            return spec.show_when_value in value
        return (value or "") == (spec.show_when_value or "")

    def validate(self, extra_validators=None):
        for spec, form_field in self.custom_fields():
            if not self.is_shown(spec):
                form_field.validators = [Optional()]
                form_field.data = [] if isinstance(form_field.data, list) else None
                if isinstance(form_field, ColleagueField):
                    form_field.chosen, form_field.required_message = [], ""
        return super().validate(extra_validators)

    def answers(self) -> list[dict]:
        """The snapshot a request keeps: labels and values as submitted."""
        result = []
        for spec, form_field in self.custom_fields():
            if not self.is_shown(spec):
                continue
            value, display = _answer(spec, form_field)
            if value in (None, "", []):
                continue
            result.append(
                {
                    "key": spec.key,
                    "label": spec.label,
                    "kind": spec.kind.value,
                    "value": value,
                    "display": display,
                }
            )
        return result

    def uploads(self) -> list[attachments.Upload]:
        return [
            form_field.upload
            for spec, form_field in self.custom_fields()
            if spec.kind is FieldKind.FILE
            and self.is_shown(spec)
            and getattr(form_field, "upload", None)
        ]


class RequestFormBase(QuestionsForm):
    title = StringField(
        "Summary",
        filters=[_stripped],
        validators=[
            DataRequired("Enter a short summary of what you need."),
            Length(max=200, message="The summary must be 200 characters or fewer."),
            _one_line,
        ],
    )
    description = TextAreaField(
        "Details",
        filters=[_stripped],
        validators=[
            DataRequired("Describe what you need, so the team can start without asking."),
            Length(max=10_000, message="The details must be 10,000 characters or fewer."),
        ],
    )
    priority = RadioField(
        "How urgent is it?",
        choices=[SelectChoice(p.value, PRIORITY_HINTS[p]) for p in PRIORITY_ORDER],
        default=Priority.NORMAL.value,
        validators=[InputRequired("Choose how urgent it is.")],
    )
    on_behalf_of = ColleagueField("Who is it for? (if not for you)", filters=[_stripped])


def _answer(spec: RequestField, form_field):
    data = form_field.data
    kind = spec.kind
    if kind is FieldKind.DATE:
        return (data.isoformat(), data.strftime("%-d %B %Y")) if data else (None, "")
    if kind is FieldKind.NUMBER:
        number = form_field.number
        return (number, _num(number)) if number is not None else (None, "")
    if kind is FieldKind.MULTI_CHOICE:
        return list(data or []), ", ".join(data or [])
    if kind is FieldKind.YES_NO:
        return (data, "Yes" if data == "yes" else "No") if data else (None, "")
    if kind is FieldKind.PERSON:
        person = form_field.person
        return (person.id, f"{person.name} ({person.email})") if person else (None, "")
    if kind is FieldKind.FILE:
        upload = getattr(form_field, "upload", None)
        return (
            (
                attachments.clean_filename(upload.filename),
                attachments.clean_filename(upload.filename),
            )
            if upload
            else (None, "")
        )
    return data, data


def _required_message(spec: RequestField) -> str:
    label = spec.label.rstrip("?").strip()
    lowered = label[:1].lower() + label[1:]
    if spec.kind in (FieldKind.CHOICE, FieldKind.YES_NO, FieldKind.MULTI_CHOICE):
        return f"Select {lowered}."
    if spec.kind is FieldKind.FILE:
        return f"Attach {lowered}."
    if spec.kind is FieldKind.PERSON:
        return f"Choose {lowered}."
    return f"Enter {lowered}."


def _text_field(kind: FieldKind, label: str, presence: list, kw: dict):
    limit = TEXT_LIMITS[kind]
    cls = StringField if kind is FieldKind.SHORT_TEXT else TextAreaField
    return cls(
        label,
        filters=[_stripped],
        validators=[
            *presence,
            Length(max=limit, message=f"{label} must be {limit:,} characters or fewer."),
            *([] if kind is FieldKind.LONG_TEXT else [_one_line]),
        ],
        **kw,
    )


def _field_for(spec: RequestField):
    kw = {"description": spec.help_text or ""}
    required = spec.required
    presence = [DataRequired(_required_message(spec))] if required else [Optional()]
    kind = spec.kind
    label = spec.label
    if kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT):
        return _text_field(kind, label, presence, kw)
    if kind is FieldKind.EMAIL:
        return EmailField(
            label,
            filters=[_stripped],
            validators=[
                *presence,
                Length(max=254, message=f"{label} must be 254 characters or fewer."),
                _one_line,
                Email(
                    message=f"{label} must be an e-mail address, like name@example.com.",
                    check_deliverability=False,
                ),
            ],
            **kw,
        )
    if kind is FieldKind.CHOICE:
        options = [SelectChoice(o, o) for o in (spec.options or [])]
        return SelectField(
            label,
            choices=[SelectChoice("", "Choose…"), *options],
            validate_choice=False,
            validators=[*presence, _one_of(spec)],
            **kw,
        )
    if kind is FieldKind.MULTI_CHOICE:
        return MultiCheckboxField(
            label,
            choices=[SelectChoice(o, o) for o in (spec.options or [])],
            validate_choice=False,
            validators=[*([_at_least_one(spec)] if required else [Optional()]), _all_of(spec)],
            **kw,
        )
    if kind is FieldKind.YES_NO:
        return RadioField(
            label,
            choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
            validate_choice=False,
            validators=[*presence, _one_of(spec, ("yes", "no"))],
            **kw,
        )
    if kind is FieldKind.DATE:
        # InputRequired, not DataRequired: the latter would hide "must be a real date".
        date_presence = [InputRequired(_required_message(spec))] if required else [Optional()]
        return SensibleDateField(label, validators=date_presence, format="%Y-%m-%d", **kw)
    if kind is FieldKind.NUMBER:
        return NumberField(
            label,
            filters=[_stripped],
            minimum=spec.min_value,
            maximum=spec.max_value,
            validators=[
                *presence,
                Length(max=40, message=f"{label} must be a number, like 12 or 2.5."),
            ],
            **kw,
        )
    if kind is FieldKind.PERSON:  # a chip chosen counts as an answer: the field checks itself
        message = _required_message(spec) if required else ""
        return ColleagueField(label, filters=[_stripped], required_message=message, **kw)
    if kind is FieldKind.FILE:
        return AttachmentField(
            label, validators=[_file_required(spec)] if required else [Optional()], **kw
        )
    raise ValueError(f"unknown field kind {kind!r}")


def _from_list(spec: RequestField) -> str:
    return "Choose " + spec.label.rstrip("?").lower() + " from the list."


def _one_of(spec: RequestField, allowed=None):
    def check(form, field):
        value = field.data
        if value in (None, ""):
            return
        if value not in (allowed or spec.options or []):
            raise ValidationError(_from_list(spec))

    return check


def _all_of(spec: RequestField):
    def check(form, field):
        for value in field.data or []:
            if value not in (spec.options or []):
                raise ValidationError(_from_list(spec))

    return check


def _at_least_one(spec: RequestField):
    def check(form, field):
        if not field.data:
            raise ValidationError(_required_message(spec))

    return check


def _file_required(spec: RequestField):
    def check(form, field):
        storage = field.data
        if storage is None or not getattr(storage, "filename", ""):
            raise ValidationError(_required_message(spec))

    return check


def request_form_class(request_fields: list[RequestField]) -> type[RequestFormBase]:
    if not request_fields:
        return _COMMON_QUESTIONS_ONLY  # no fields of its own: one class for every such service
    return questions_form_class(request_fields, RequestFormBase, "ServiceRequestForm")


def questions_form_class(specs: list, base: type[QuestionsForm], name: str) -> type:
    """A form class of `base` with one field per question spec (field kinds and checks
    as the request form's)."""
    attrs = {f"f_{spec.key}": _field_for(spec) for spec in specs}
    return type(name, (base,), attrs)


_COMMON_QUESTIONS_ONLY = type("ServiceRequestForm", (RequestFormBase,), {})


def build_request_form(request_fields: list[RequestField], formdata=None, **kw) -> RequestFormBase:
    cls = request_form_class(request_fields)
    if formdata is None:
        return cls(formdata=None, request_fields=request_fields, **kw)
    return cls(formdata=formdata, request_fields=request_fields, **kw)


def prefill_title(form: RequestFormBase, value: object) -> None:
    """A summary carried from elsewhere (a help article's "Still need help?", issue 14):
    one line of text, 200 characters at most; anything else is left out."""
    if isinstance(value, str) and value.strip() and not text_problem(value, multiline=False):
        form.title.data = " ".join(value.split())[:200]


# Forms for working a request ------------------------------------------------------------


class ReplyForm(Form):
    body = TextAreaField(
        "Your reply",
        filters=[_stripped],
        validators=[
            DataRequired("Write your reply first."),
            Length(max=10_000, message="A reply must be 10,000 characters or fewer."),
        ],
    )
    internal = HiddenField()
    version = IntegerField(validators=[Optional()])
    attachment = AttachmentField("Attach a file")

    def uploads(self) -> list[attachments.Upload]:
        return [self.attachment.upload] if self.attachment.upload else []


class ChangeForm(Form):
    """The requester's buttons (pick up, cancel, confirm, reopen): the version the page
    showed and, for reopening, what is still wrong."""

    version = IntegerField(validators=[InputRequired("Reload the page and try again.")])
    body = TextAreaField(
        "What is still wrong? (optional)",
        filters=[_stripped],
        validators=[Optional(), Length(max=10_000)],
    )


class _AssigneeField(PickedField):
    """The assignee picker's choice: its last value ("none" first, then the chip, if any:
    `person-12`), as the id the panel compares ("12"), or "none"."""

    def process_formdata(self, valuelist):
        values = [v for v in valuelist if isinstance(v, str)]
        if values:
            last = values[-1].strip()
            self.data = last.removeprefix("person-") if last.startswith("person-") else last


class PanelForm(Form):
    """The agent's panel: every part starts on the request's current value, so a Save
    changes only what the agent chose (services/panel.py reads the differences)."""

    version = IntegerField(validators=[InputRequired("Reload the page and try again.")])
    assignee = _AssigneeField(default="none")
    # Without JavaScript (or typed without choosing): the assignee's name or e-mail address.
    assignee_name = StringField("Assignee", id="assignee", filters=[_stripped], default="")
    status = SelectField("Status", validate_choice=False)
    priority = SelectField("Priority", validate_choice=False)
    department = SelectField("Department", validate_choice=False)
    message = TextAreaField(
        "Message or reason",
        filters=[_stripped],
        validators=[Optional(), Length(max=10_000)],
    )
    # What each menu showed when the page was drawn (after "changed meanwhile", the parts
    # the agent left alone follow the request; the ones they chose stay chosen).
    was_assignee = HiddenField()
    was_status = HiddenField()
    was_priority = HiddenField()
    was_department = HiddenField()

    PARTS = ("assignee", "status", "priority", "department")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list = []  # a typed assignee several people could be

    @staticmethod
    def current_values(sr) -> dict[str, str]:
        return {
            "assignee": str(sr.assignee_id) if sr.assignee_id else "none",
            "status": sr.status.value,
            "priority": sr.priority.value,
            "department": sr.department.slug,
        }

    @classmethod
    def for_request(cls, sr, formdata=None) -> PanelForm:
        """The panel as the page draws it; with formdata, as submitted (a part the
        submit left out keeps the current value: no change)."""
        now = cls.current_values(sr)
        was = {f"was_{name}": value for name, value in now.items()}
        return cls(formdata=formdata, version=sr.version, **now, **was)

    def rebase(self, sr) -> None:
        """Draw the submitted panel again over the request as it is now."""
        for name, value in self.current_values(sr).items():
            if self[name].data == self[f"was_{name}"].data:
                self[name].data = value
            self[f"was_{name}"].data = value
        self.version.data = sr.version

    def assignee_chips(self) -> list:
        """The assignee chosen (a former member or someone who left too: it is who it is)."""
        chosen = self.assignee.data or ""
        if not chosen.isdigit():
            return []
        return picker.chosen_picks([f"person-{chosen}"], even_inactive=True)

    def fill_choices(self, sr, departments) -> None:
        statuses = {sr.status, *lifecycle.WORKER_TRANSITIONS[sr.status]}
        self.status.choices = [(s.value, s.label) for s in RequestStatus if s in statuses]
        self.priority.choices = [(p.value, p.label) for p in PRIORITY_ORDER]
        self.department.choices = [(sr.department.slug, f"{sr.department.name} (stays here)")] + [
            (d.slug, d.name) for d in departments
        ]

    def wanted(self) -> panel.PanelInput:
        return panel.PanelInput(
            version=self.version.data,
            assignee=self.assignee.data or "",
            assignee_typed=self.assignee_name.data or "",
            status=self.status.data or "",
            priority=self.priority.data or "",
            department=self.department.data or "",
            message=self.message.data or "",
        )

    def show_problems(self, problems: dict[str, str], candidates=()) -> None:
        self.candidates = list(candidates)
        for name, message in problems.items():
            target = self._fields.get(name) or self.status
            target.errors = [*target.errors, message]
