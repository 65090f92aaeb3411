"""Bundles' forms: the bundle, a step of it, starting it, cancelling a started one. The
bundle's questions are the form builder's own form (`manage.forms.FieldForm`), and the
start form is built from them as a request form is (`service_requests.forms`)."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.core.forms import Form
from portal.core.ids import parse_id
from portal.fulfilment.services.defining import BundleChange, StepChange
from portal.fulfilment.services.starting import Start
from portal.service_requests.forms import QuestionsForm, questions_form_class


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class BundleForm(Form):
    name = StringField("Name", filters=[_stripped])
    description = TextAreaField("What it is for", filters=[_stripped])

    def change(self) -> BundleChange:
        return BundleChange(name=self.name.data or "", description=self.description.data or "")


def service_choices(services) -> list[tuple[str, str]]:
    """The step forms' service menu, from `defining.step_services`: built once a page for
    every step form and drawn by the field macro's loop (thousands of services in a large
    company); a step sent only to be saved needs none (its choice is not checked against
    it)."""
    return [
        ("", "Choose a service"),
        *((str(s.id), f"{s.department_name}: {s.name}") for s in services),
    ]


class StepForm(Form):
    """A step: the service it files with, its summary, the step it waits for and, for a
    step already saved, which bundle question answers each of the service's questions."""

    service_id = SelectField("Service", validate_choice=False)
    title = StringField("Summary of its request", filters=[_stripped])
    waits_for_id = SelectField("Waits for", validate_choice=False)

    def __init__(self, *args, steps=(), step=None, bundle_fields=(), **kw):
        super().__init__(*args, **kw)
        self.step = step  # service_id's menu: the page's (`service_choices`), set by the view
        self.waits_for_id.choices = [
            SelectChoice("", "Nothing: it starts at once"),
            *[
                SelectChoice(str(s.id), f"“{s.title}” to be resolved")
                for s in steps
                if step is None or s.id != step.id
            ],
        ]
        self.bundle_choices = [
            SelectChoice("", "Left unanswered"),
            *[SelectChoice(f.key, f"“{f.label}”") for f in bundle_fields],
        ]

    def mapping_from(self, formdata, child_fields) -> dict[str, str] | None:
        """The answers chosen for the saved service's questions; None when the step is new
        or its service changed (then questions are matched by name)."""
        if self.step is None or parse_id(self.service_id.data) != self.step.service_id:
            return None
        return {f.key: (formdata.get(f"map_{f.key}") or "") for f in child_fields}

    def change(self, mapping=None) -> StepChange:
        return StepChange(
            service_id=parse_id(self.service_id.data),
            title=self.title.data or "",
            waits_for_id=parse_id(self.waits_for_id.data),
            mapping=mapping,
        )


class StartBase(QuestionsForm):
    def change(self) -> Start:
        return Start(form_token=self.form_token.data, answers=self.answers())


def build_start_form(bundle_fields, formdata=None, **kw) -> StartBase:
    cls = questions_form_class(bundle_fields, StartBase, "BundleStartForm")
    return cls(formdata=formdata, request_fields=bundle_fields, **kw)


class CancelRunForm(Form):
    reason = TextAreaField(
        "Why is it cancelled?",
        filters=[_stripped],
        validators=[
            DataRequired("Say why it is cancelled: every team it reached reads it."),
            Length(max=2000, message="The reason must be 2,000 characters or fewer."),
        ],
    )
