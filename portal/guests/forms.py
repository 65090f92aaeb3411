"""Guests' forms: the invitation, an extension, the guest's password, the admins' CSV upload."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.core.forms import Form
from portal.guests.services.invitations import Invitation


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InviteForm(Form):
    email = EmailField(
        "Their e-mail address",
        filters=[_strip],
        validators=[
            DataRequired("Enter the contact’s e-mail address."),
            Email("Enter an e-mail address like name@partner.example."),
            Length(max=254),
        ],
    )
    name = StringField(
        "Their name",
        filters=[_strip],
        validators=[DataRequired("Enter the contact’s name."), Length(max=120)],
    )
    organisation = StringField(
        "Organisation",
        filters=[_strip],
        validators=[DataRequired("Enter the partner’s or vendor’s name."), Length(max=120)],
    )
    reason = StringField(
        "Why they need access",
        filters=[_strip],
        validators=[DataRequired("Say why, like “books the loading dock”."), Length(max=500)],
    )
    expires_on = DateField(
        "Access ends on", validators=[DataRequired("Enter the last day, a year ahead at most.")]
    )
    shares_requests = BooleanField(
        "Colleagues from the same organisation see each other’s requests"
    )

    def invitation(self) -> Invitation:
        return Invitation(
            email=self.email.data,
            name=self.name.data,
            organisation=self.organisation.data,
            reason=self.reason.data,
            expires_on=self.expires_on.data,
            shares_requests=bool(self.shares_requests.data),
        )


class ExtendForm(Form):
    expires_on = DateField(
        "New last day", validators=[DataRequired("Enter the last day, a year ahead at most.")]
    )


class EndForm(Form):
    """Only the CSRF token."""


class AcceptForm(Form):
    password = PasswordField(
        "Choose a password",
        validators=[
            DataRequired("Choose a password."),
            Length(min=12, max=1000, message="Use at least 12 characters."),
        ],
    )
    confirm = PasswordField(
        "Type it again",
        validators=[EqualTo("password", message="The two passwords are not the same.")],
    )


class GuestImportForm(Form):
    """The admins' upload: a CSV file of guests, their sponsoring department and sponsor."""

    file = FileField("CSV file")
    department = SelectField("Sponsoring department", validate_choice=False)
    sponsor = EmailField(
        "Sponsor’s e-mail address",
        filters=[_strip],
        validators=[DataRequired("Enter the e-mail address of the department’s manager.")],
    )

    def validate_file(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Choose a CSV file to check.")


class GuestImportApplyForm(Form):
    token = HiddenField(validators=[DataRequired()])
    department = HiddenField(validators=[DataRequired()])
    sponsor = HiddenField(validators=[DataRequired()])
