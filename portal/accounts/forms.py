from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from portal.accounts.api_tokens import LIFETIMES, NewToken
from portal.core.forms import Form
from portal.core.text import text_problem
from portal.models import TokenScope


def without_nul(value):
    """Kept for the forms of other areas that still filter NUL themselves; the base
    `Form` refuses control characters beside the field instead."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class SignInForm(Form):
    email = EmailField(
        "Work e-mail address",
        validators=[DataRequired("Enter your work e-mail address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=1000)],
    )
    remember = BooleanField("Keep me signed in on this device for 14 days")
    next = HiddenField()


class SignOutForm(Form):
    """Only the CSRF token: signing out is a POST."""


class TokenForm(Form):
    """A new personal access token: what it is for, what it may do, how long it lasts."""

    name = StringField(
        "What is it for?",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Name the token after what will use it, like “HR onboarding”."),
            Length(max=80, message="The name must be 80 characters or fewer."),
        ],
    )
    scope = SelectField(
        "What may it do?",
        choices=[SelectChoice(scope.value, scope.label) for scope in TokenScope],
        default=TokenScope.READ.value,
    )
    days = SelectField(
        "How long does it last?",
        choices=[SelectChoice(str(days), f"{days} days") for days in LIFETIMES],
        default="30",
    )

    def validate_name(self, field):
        problem = text_problem(field.data or "", multiline=False)
        if problem:
            raise ValidationError(problem)

    def wanted(self) -> NewToken:
        return NewToken(self.name.data, TokenScope(self.scope.data), int(self.days.data))
