from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.core.forms import Form


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
