"""The feedback forms, on the portal's base `Form`: text fields read text parts only and
refuse control characters beside the field. The rules (limits, scores, who may) stay in
the services; a form hands them what was typed, and its first problem per field."""

from __future__ import annotations

from datetime import date, datetime

from wtforms import StringField, TextAreaField

from portal.core.errors import Refused
from portal.core.forms import Form
from portal.feedback.checkins import MAX_EXTRA_QUESTIONS


class FeedbackForm(Form):
    class Meta(Form.Meta):
        csrf = True

    def problems(self) -> dict[str, str]:
        """{field name: first message} for the templates' error slots."""
        return {name: errors[0] for name, errors in self.errors.items() if errors}

    def first_problem(self) -> Refused:
        name, message = next(iter(self.problems().items()))
        return Refused(message, None if name == "csrf_token" else name)


class RatingForm(FeedbackForm):
    score = StringField()
    comment = TextAreaField()


class AnswerForm(FeedbackForm):
    score = StringField()
    best = TextAreaField()
    obstacles = TextAreaField()

    @classmethod
    def for_questions(cls, count: int, formdata):
        fields = {f"extra_{i}": TextAreaField() for i in range(count)}
        return type("CheckInAnswerForm", (cls,), fields)(formdata=formdata)

    def extra_answers(self, count: int) -> list[str]:
        return [self[f"extra_{i}"].data or "" for i in range(count)]


class OpenCheckInForm(FeedbackForm):
    period = StringField()
    closes_on = StringField()

    @classmethod
    def build(cls, formdata):
        fields = {f"question_{i}": StringField() for i in range(MAX_EXTRA_QUESTIONS)}
        return type("OpenCheckInForm", (cls,), fields)(formdata=formdata)

    def questions(self) -> list[str]:
        return [self[f"question_{i}"].data or "" for i in range(MAX_EXTRA_QUESTIONS)]

    def closes_on_date(self) -> date | None:
        text = (self.closes_on.data or "").strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()  # noqa: DTZ007  (a calendar date)
            except ValueError:
                continue
        if text:
            raise Refused("Give the last day for answers as a date, like 31/03/2027.", "closes_on")
        return None


class RespondForm(FeedbackForm):
    heard = TextAreaField()
    will_change = TextAreaField()


class SuggestionForm(FeedbackForm):
    title = StringField()
    body = TextAreaField()


class SuggestionStatusForm(FeedbackForm):
    """The reply box is named `reply-<id>` on the page (one per suggestion); `reply`
    is read too."""

    status = StringField()
    reply = TextAreaField()

    @classmethod
    def for_suggestion(cls, suggestion_id: int, formdata):
        self = type("SuggestionStatusForm", (cls,), {f"reply-{suggestion_id}": TextAreaField()})(
            formdata=formdata
        )
        self._reply_key = f"reply-{suggestion_id}"
        return self

    def reply_text(self) -> str:
        typed = self[self._reply_key].data if hasattr(self, "_reply_key") else None
        return typed or self.reply.data or ""
