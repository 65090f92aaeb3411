"""Forms of the administration pages."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.admin import services
from portal.admin.service_accounts import NewServiceAccount
from portal.core.forms import Form
from portal.core.ids import parse_id
from portal.models import MembershipRole


def _slug_rule(form, field) -> None:
    problem = services.slug_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class DepartmentForm(Form):
    name = StringField(
        "Department name",
        validators=[
            DataRequired("Enter the department’s name."),
            Length(max=120, message="The name must be 120 characters or fewer."),
        ],
    )
    slug = StringField("Address name", validators=[_slug_rule])


class MergeForm(Form):
    target = SelectField("Merge into", coerce=int, validate_choice=False)
    confirm = BooleanField(
        "I understand: this department will be archived, and this cannot be undone",
        validators=[DataRequired("Tick the box to confirm the merge.")],
    )

    def validate_target(self, field) -> None:
        if not field.data or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose the department to merge into.")


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class DeactivateForm(Form):
    # "yes" from the warning's "Deactivate anyway": the admin has seen which departments
    # would be left without a manager.
    go_ahead = HiddenField()


class AdminRightsForm(Form):
    make_admin = HiddenField()


class ImportForm(Form):
    file = FileField("CSV file")
    deactivate_missing = BooleanField(
        "Deactivate people who are not in this file (a full export of everyone)"
    )

    def validate_file(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Choose a CSV file to check.")


class ApplyImportForm(Form):
    token = HiddenField(validators=[DataRequired()])
    mode = HiddenField(validators=[DataRequired()])
    deactivate_missing = HiddenField()


class AuditFilterForm(Form):
    class Meta(Form.Meta):
        csrf = False  # a GET filter changes nothing

    actor = StringField("Who", validators=[Optional(), Length(max=120)])
    action = StringField("Action", validators=[Optional(), Length(max=64)])
    department = SelectField("Department", coerce=str, validate_choice=False)
    object_type = StringField("Object type", validators=[Optional(), Length(max=40)])
    object_id = StringField("Object id", validators=[Optional(), Length(max=12)])
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])

    def validate_object_id(self, field) -> None:
        if field.data and parse_id(field.data) is None:
            raise ValidationError("The object id is a whole number, like 42.")

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")


class SynonymForm(Form):
    words = StringField(
        "Words that mean the same",
        validators=[DataRequired("Enter two or more words."), Length(max=300,
                    message="Write at most 300 characters.")],
    )


class ServiceAccountForm(Form):
    """A new service account: its name, the department it works in and its role there."""

    name = StringField(
        "Name",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Name the service account after the system that uses it."),
            Length(max=120, message="The name must be 120 characters or fewer."),
        ],
    )
    department = SelectField("Department", coerce=int, validate_choice=False)
    role = SelectField(
        "It acts as",
        choices=[
            SelectChoice("agent", "An agent of the department"),
            SelectChoice("manager", "A manager of it"),
        ],
        default="agent",
    )

    def validate_department(self, field) -> None:
        if not field.data or field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a department from the list.")

    def wanted(self) -> NewServiceAccount:
        role = MembershipRole(self.role.data)
        return NewServiceAccount(self.name.data, self.department.data, role)
