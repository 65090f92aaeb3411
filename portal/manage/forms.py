"""Forms of the manage pages. They carry the inputs (and the CSRF token) and show the
messages; the rules live in the use cases (portal/manage/services/), which check every
change whole. Every form is a core Form (text parts only, no control characters)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from portal.core.forms import Form, PickedField
from portal.core.ids import parse_id
from portal.directory import picker
from portal.directory.services import WEEKDAY_NAMES
from portal.manage.services import (
    approval_steps,
    calendar,
    catalogue,
    contacts,
    details,
    form_builder,
    standards,
)
from portal.models import ApprovalMode, ApproverKind, FieldKind
from portal.models.directory import PRIORITY_ORDER

UNIT_CHOICES = [
    SelectChoice("minutes", "business minutes"),
    SelectChoice("hours", "business hours"),
    SelectChoice("days", "business days"),
]


class ActionForm(Form):
    """A button that changes one thing (move, archive, remove): the token, and a value."""

    direction = HiddenField()
    role = HiddenField()


class DetailsForm(Form):
    mission = StringField("Mission line")
    description = TextAreaField("Description")
    email = StringField("Team mailbox")
    phone = StringField("Phone")
    chat_channel = StringField("Chat channel")
    location = StringField("Where to find you")
    webhook_url = StringField("Chat webhook for new and breached requests")

    def change(self) -> details.DetailsChange:
        return details.DetailsChange(
            **{name: self[name].data or "" for name in details.DETAIL_FIELDS}
        )


class CalendarForm(Form):
    timezone = SelectField("Time zone", validate_choice=False)
    holiday_country = SelectField("Public holidays of", validate_choice=False)
    holiday_subdivision = StringField("Region (optional)")
    closures = TextAreaField("Extra closures")

    def __init__(self, *args, current_timezone: str | None = None, **kw):
        super().__init__(*args, **kw)
        zones = calendar.time_zones()
        if current_timezone and current_timezone not in zones:
            zones = (current_timezone, *zones)  # an older name is kept until changed
        self.timezone.choices = [SelectChoice(z, z) for z in zones]
        names = calendar.country_names()
        self.holiday_country.choices = [
            SelectChoice("", "No public holidays"),
            *sorted(
                (
                    SelectChoice(code, f"{names.get(code, code)} ({code})")
                    for code in calendar.holiday_countries()
                ),
                key=lambda c: c.label,
            ),
        ]

    def change(self) -> calendar.CalendarChange:
        return calendar.CalendarChange(
            timezone=self.timezone.data or "",
            holiday_country=self.holiday_country.data or "",
            holiday_subdivision=self.holiday_subdivision.data or "",
            closures=self.closures.data or "",
        )


class HoursForm(Form):
    def change(self) -> dict[int, str]:
        """The week as typed: one line of opening periods a weekday (0 = Monday)."""
        return {day: self[f"day_{day}"].data or "" for day in range(7)}


for _day, _name in enumerate(WEEKDAY_NAMES):
    setattr(HoursForm, f"day_{_day}", StringField(_name))


class StandardsForm(Form):
    pass


for _p in PRIORITY_ORDER:
    setattr(StandardsForm, f"{_p.value}_first", StringField(f"{_p.label}: first response"))
    setattr(
        StandardsForm,
        f"{_p.value}_first_unit",
        SelectField(
            f"{_p.label}: first response unit",
            choices=UNIT_CHOICES,
            default="hours",
            validate_choice=False,
        ),
    )
    setattr(StandardsForm, f"{_p.value}_resolution", StringField(f"{_p.label}: resolved"))
    setattr(
        StandardsForm,
        f"{_p.value}_resolution_unit",
        SelectField(
            f"{_p.label}: resolved unit",
            choices=UNIT_CHOICES,
            default="days",
            validate_choice=False,
        ),
    )


def standards_inputs(form: StandardsForm) -> dict:
    return {
        p: standards.StandardInput(
            standards.Target(
                form[f"{p.value}_first"].data or "", form[f"{p.value}_first_unit"].data
            ),
            standards.Target(
                form[f"{p.value}_resolution"].data or "", form[f"{p.value}_resolution_unit"].data
            ),
        )
        for p in PRIORITY_ORDER
    }


class ServiceForm(Form):
    name = StringField("Service name")
    slug = StringField("Web address name")
    summary = StringField("Summary")
    category = StringField("Category")
    keywords = StringField("Search keywords")
    description = TextAreaField("Description")
    what_to_include = TextAreaField("What to include")
    open_to_partners = BooleanField("Open to partners: our guests may request it")

    def change(self) -> catalogue.ServiceChange:
        texts = [name for name in catalogue.SERVICE_FIELDS if name != "open_to_partners"]
        return catalogue.ServiceChange(
            **{name: self[name].data or "" for name in texts},
            open_to_partners=bool(self.open_to_partners.data),
        )


class FieldForm(Form):
    label = StringField("Question")
    kind = SelectField(
        "Kind of answer",
        choices=[SelectChoice(k.value, label) for k, label in form_builder.KIND_LABELS.items()],
        default=FieldKind.SHORT_TEXT.value,
        validate_choice=False,
    )
    required = BooleanField("An answer is required", default=True)
    help_text = StringField("Hint")
    options = TextAreaField("Options")
    min_value = StringField("Smallest number")
    max_value = StringField("Largest number")
    show_when_key = SelectField("Show only when", validate_choice=False)
    show_when_value = StringField("has the answer")

    def __init__(self, *args, controllers=(), **kw):
        super().__init__(*args, **kw)
        self.show_when_key.choices = [
            SelectChoice("", "Always show this question"),
            *[SelectChoice(f.key, f"“{f.label}”") for f in controllers],
        ]

    def change(self) -> form_builder.FieldChange:
        return form_builder.FieldChange(
            label=self.label.data or "",
            kind=self.kind.data or "",
            required=bool(self.required.data),
            help_text=self.help_text.data or "",
            options=self.options.data or "",
            min_value=self.min_value.data or "",
            max_value=self.max_value.data or "",
            show_when_key=self.show_when_key.data or "",
            show_when_value=self.show_when_value.data or "",
        )


def field_form_data(field) -> dict:
    def number(value):
        if value is None:
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)

    return {
        "label": field.label,
        "kind": field.kind.value,
        "required": field.required,
        "help_text": field.help_text,
        "options": "\n".join(field.options or []),
        "min_value": number(field.min_value),
        "max_value": number(field.max_value),
        "show_when_key": field.show_when_key or "",
        "show_when_value": field.show_when_value or "",
    }


class _OnePerson:
    """A form with one people picker (`_macros/picker.html`): the field `picked` holds what
    was typed (a name, @handle or e-mail address), `<picked>_chosen` the chip (person-12)."""

    picked = "email"
    candidates: tuple = ()  # a name several colleagues have: who they are

    @property
    def chosen(self) -> str:
        return (self[f"{self.picked}_chosen"].data or [""])[-1]

    def chips(self) -> list:
        return picker.chosen_picks([self.chosen]) if self.chosen else []

    def refused(self, invalid) -> list[str]:
        """The service's refusal beside the fields, the candidates kept for the picker."""
        self.candidates = invalid.candidates
        return show_errors(self, invalid.errors, "")


class ContactForm(_OnePerson, Form):
    picked = "person_email"
    label = StringField("Role label")
    person_email = StringField("Person")
    person_email_chosen = PickedField(default=list)
    mailbox = StringField("Shared mailbox")
    channel = StringField("Chat channel")
    service_id = SelectField("For", validate_choice=False)

    def __init__(self, *args, service_choices=(), **kw):
        super().__init__(*args, **kw)
        self.service_id.choices = [
            SelectChoice("", "The whole department"),
            *[SelectChoice(str(s.id), s.name) for s in service_choices],
        ]

    def change(self) -> contacts.ContactChange:
        raw = (self.service_id.data or "").strip()
        service_id = parse_id(raw)
        return contacts.ContactChange(
            label=self.label.data or "",
            person_email=self.person_email.data or "",
            person_chosen=self.chosen,
            mailbox=self.mailbox.data or "",
            channel=self.channel.data or "",
            service_id=service_id if service_id is not None else (-1 if raw else None),
        )


class MemberForm(_OnePerson, Form):
    email = StringField("Colleague", id="member-email")
    email_chosen = PickedField(default=list)
    role = RadioField(
        "Role",
        choices=[
            SelectChoice("agent", "Agent — works the queue"),
            SelectChoice("manager", "Manager — also manages this page and its members"),
        ],
        default="agent",
        validate_choice=False,
    )


def show_errors(form: Form, errors: dict[str, str], fallback: str) -> list[str]:
    """Put each message beside its field; the ones with no field come back for the top."""
    leftover = []
    for name, message in errors.items():
        if name in form._fields:
            form[name].errors = [message]
        else:
            leftover.append(message)
    return leftover or ([] if errors else [fallback])


class GapKeywordsForm(Form):
    """Add a search that found nothing to one service's keywords."""

    service_id = SelectField("Add to the keywords of", validate_choice=False)

    def __init__(self, *args, service_choices=(), **kw):
        super().__init__(*args, **kw)
        self.service_id.choices = [
            SelectChoice("", "Choose a service"),
            *[SelectChoice(str(s.id), s.name) for s in service_choices],
        ]

    def chosen_service_id(self) -> int | None:
        return parse_id((self.service_id.data or "").strip())


class ApprovalStepForm(Form):
    """One approval step of a service (issue 16), added from the form builder."""

    approver_kind = RadioField(
        "Who approves",
        choices=[SelectChoice(k.value, k.label) for k in ApproverKind],
        default=ApproverKind.LINE_MANAGER.value,
        validate_choice=False,
    )
    person = StringField("The colleague who approves")
    person_chosen = PickedField(default=list)
    department_id = SelectField("Whose managers", validate_choice=False)
    field_key = SelectField("Which question names the approver", validate_choice=False)
    mode = RadioField(
        "When several people may approve",
        choices=[SelectChoice(m.value, m.label) for m in ApprovalMode],
        default=ApprovalMode.ANY.value,
        validate_choice=False,
    )
    condition_key = SelectField("Ask for approval", validate_choice=False)
    condition_op = SelectField(
        "The answer",
        choices=[SelectChoice(op, words) for op, words in approval_steps.OPS.items()],
        validate_choice=False,
    )
    condition_value = StringField("Value")

    def __init__(self, *args, fields=(), departments=(), **kw):
        super().__init__(*args, **kw)
        self.department_id.choices = [
            SelectChoice("", "Choose a department"),
            *[SelectChoice(str(d.id), d.name) for d in departments],
        ]
        self.field_key.choices = [
            SelectChoice("", "Choose a question"),
            *[SelectChoice(f.key, f"“{f.label}”") for f in fields if f.kind is FieldKind.PERSON],
        ]
        self.condition_key.choices = [
            SelectChoice("", "Always"),
            *[SelectChoice(f.key, f"Only when “{f.label}”…") for f in fields],
        ]

    @property
    def chosen(self) -> str:
        return (self.person_chosen.data or [""])[-1]

    def chips(self) -> list:
        return picker.chosen_picks([self.chosen]) if self.chosen else []

    def change(self) -> approval_steps.StepChange:
        return approval_steps.StepChange(
            approver_kind=self.approver_kind.data or "",
            mode=self.mode.data or "any",
            person_typed=self.person.data or "",
            person_chosen=self.chosen,
            department_id=parse_id(self.department_id.data),
            field_key=self.field_key.data or "",
            condition_key=self.condition_key.data or "",
            condition_op=self.condition_op.data or "",
            condition_value=self.condition_value.data or "",
        )
