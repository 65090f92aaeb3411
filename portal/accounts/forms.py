from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length


def without_nul(value):
    """NUL bytes are never part of what a person meant, and PostgreSQL refuses them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class SignInForm(FlaskForm):
    email = EmailField(
        "Work e-mail address",
        validators=[DataRequired("Enter your work e-mail address"), Length(max=254)],
        filters=[without_nul],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=1000)],
        filters=[without_nul],
    )
    remember = BooleanField("Keep me signed in on this device for 14 days")
    next = HiddenField(filters=[without_nul])


class SignOutForm(FlaskForm):
    """Only the CSRF token: signing out is a POST."""
