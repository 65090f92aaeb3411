"""The base of every form in the portal (`Form`, not FlaskForm): two rules in one place.

1. A field reads only what it can hold: text fields take text parts of the request, file
   fields take file parts. A file sent where text is expected is simply not there (the
   field says it is missing) instead of a `FileStorage` reaching the rules as a "string".
2. No text field accepts control characters (NUL cannot be stored on PostgreSQL; the
   others are never typed on purpose): the message stands beside the field, 422.

The CSRF token's hidden input has no id: a page with several forms would otherwise hold
several elements with id="csrf_token" (invalid HTML; nothing refers to it by id).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Field, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.core import UnboundField  # noqa: F401  (re-export for dynamic forms)
from wtforms.widgets import HiddenInput

from portal.core.text import text_problem

_FILE_FIELDS = (FileField, MultipleFileField)


def _reads_files(field: Field) -> bool:
    return isinstance(field, _FILE_FIELDS) or getattr(field, "reads_files", False)


def _sorted_parts(form: FlaskForm, formdata) -> MultiDict | None:
    if formdata is None:
        return None
    file_names = {field.name for field in form if _reads_files(field)}
    parts: MultiDict = MultiDict()
    for key, value in formdata.items(multi=True):
        is_file = isinstance(value, FileStorage)
        if is_file == (key in file_names):
            parts.add(key, value)
    return parts


class _HiddenWithoutId(HiddenInput):
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)  # False: the attribute is left out
        return super().__call__(field, **kwargs)


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            return _sorted_parts(form, super().wrap_formdata(form, formdata))

        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, CSRFTokenField):
                options = {**options, "widget": _HiddenWithoutId()}
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None) -> bool:
        # A field holding a control character is refused before its own rules run: those
        # may look the text up in the database (a colleague by name), where NUL cannot go.
        for field in self:
            problem = _control_problem(field)
            if problem:
                field.validate = _refusal(field, problem)
        return super().validate(extra_validators)


def _control_problem(field: Field) -> str | None:
    for value in field.raw_data or ():
        problem = text_problem(value, multiline=True) if isinstance(value, str) else None
        if problem:
            return problem
    return None


def _refusal(field: Field, problem: str):
    def refuse(form, extra_validators=()) -> bool:
        field.errors = [problem]
        return False

    return refuse


def text_field_problem(field: Field) -> str | None:
    """For one field read outside a form's validate (a live check of one field)."""
    return text_problem(field.data, multiline=isinstance(field, TextAreaField))


class PickedField(Field):
    """Every value sent under one name, as a list of strings (a picker's chips: one hidden
    or checkbox input each). Drawn by the picker macro, never by the field itself."""

    def process_formdata(self, valuelist):
        self.data = [v for v in valuelist if isinstance(v, str)]

    def _value(self):
        return self.data or []
