"""Forms of the help articles: they carry the inputs and show the messages; the rules
live in the use cases (portal/knowledge/services/). Every form is a core Form (text parts
only, no control characters); an article's text also refuses text-direction controls."""

from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import Form
from portal.core.ids import parse_id, parse_ids
from portal.core.text import clean_text, direction_control_problem
from portal.knowledge.services import writing
from portal.knowledge.services.helpfulness import MAX_MISSING, VoteChange
from portal.models import ArticleAudience


def _no_direction_controls(form, field) -> None:
    problem = direction_control_problem(field.data)
    if problem:
        raise ValidationError(problem)


def _one_line(value):
    return clean_text(value, multiline=False) if isinstance(value, str) else value


def _text(value):
    return clean_text(value) if isinstance(value, str) else value


AUDIENCE_CHOICES = [
    SelectChoice(ArticleAudience.EVERYONE.value, "Everyone in the company"),
    SelectChoice(ArticleAudience.DEPARTMENT.value, "Only people in the department"),
]


class ArticleForm(Form):
    title = StringField(
        "Title",
        filters=[_one_line],
        validators=[
            Length(max=writing.MAX_TITLE, message="The title must be 200 characters or fewer."),
            _no_direction_controls,
        ],
    )
    slug = StringField("Web address name", filters=[_one_line], validators=[Length(max=64)])
    summary = StringField(
        "Summary",
        filters=[_one_line],
        validators=[
            Length(max=writing.MAX_SUMMARY, message="The summary must be 300 characters or fewer."),
            _no_direction_controls,
        ],
    )
    body = TextAreaField(
        "Text",
        filters=[_text],
        validators=[
            Length(max=writing.MAX_BODY, message="The text must be 50,000 characters or fewer."),
            _no_direction_controls,
        ],
    )
    service_ids = SelectMultipleField(
        "Services it is about",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    keywords = StringField(
        "Keywords",
        filters=[_one_line],
        validators=[Length(max=writing.MAX_KEYWORDS), _no_direction_controls],
    )
    audience = RadioField(
        "Who may read it",
        choices=AUDIENCE_CHOICES,
        default=ArticleAudience.EVERYONE.value,
        validate_choice=False,
    )
    owner_id = SelectField("Owner", validate_choice=False)
    review_by = DateField(
        "Review by",
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    base_version = HiddenField()

    def __init__(self, *args, services=(), people=(), **kw):
        super().__init__(*args, **kw)
        self.service_ids.choices = [SelectChoice(str(s.id), s.name) for s in services]
        self.owner_id.choices = [SelectChoice(str(p.id), p.name) for p in people]

    def validate_review_by(self, field) -> None:
        if field.raw_data and field.raw_data[0] and field.data is None:
            raise ValidationError("Enter a date like 2027-03-31.")

    def change(self) -> writing.ArticleChange:
        try:
            audience = ArticleAudience(self.audience.data)
        except ValueError:
            audience = ArticleAudience.EVERYONE
        return writing.ArticleChange(
            title=self.title.data or "",
            slug=(self.slug.data or "").lower(),
            summary=self.summary.data or "",
            body=self.body.data or "",
            keywords=self.keywords.data or "",
            audience=audience,
            owner_id=parse_id(self.owner_id.data),
            review_by=self.review_by.data,
            service_ids=parse_ids(self.service_ids.data or [], limit=100),
            base_version=parse_id(self.base_version.data),
        )


class PreviewForm(Form):
    body = TextAreaField(
        "Text",
        filters=[_text],
        validators=[
            Length(max=writing.MAX_BODY, message="The text must be 50,000 characters or fewer."),
            _no_direction_controls,
        ],
    )


class ActionForm(Form):
    """A button that changes one thing (publish, archive, restore): the token only."""


class VoteForm(Form):
    helpful = StringField("Was this helpful?")
    missing = TextAreaField(
        "What was missing?",
        filters=[_text],
        validators=[
            Length(max=MAX_MISSING, message="Keep it to 2,000 characters."),
            _no_direction_controls,
        ],
    )

    def validate_helpful(self, field) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Choose yes or no.")

    def change(self) -> VoteChange:
        return VoteChange(helpful=self.helpful.data == "yes", missing=self.missing.data or "")
