"""Forms of the value chain: a declared link (on the manage page) and the company goals.
They carry the inputs and show the messages; the rules live in portal/chain/services/."""

from __future__ import annotations

from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from portal.chain.services import declaring, goals
from portal.core.forms import Form
from portal.core.ids import parse_id
from portal.core.text import clean_text
from portal.feedback.forms import OpenCheckInForm


def _choices(pairs, first: str = "Choose…") -> list[SelectChoice]:
    return [SelectChoice("", first), *(SelectChoice(value, label) for value, label in pairs)]


class LinkForm(Form):
    direction = RadioField(
        "This link",
        choices=[
            SelectChoice("serves", "We serve them"),
            SelectChoice("relies", "We rely on them"),
        ],
        default="serves",
        validate_choice=False,
    )
    other = SelectField("Who", validate_choice=False)
    reason = StringField("Why, in one line")

    def __init__(self, *args, choices: list[tuple[str, str]] = (), **kw):
        super().__init__(*args, **kw)
        self.other.choices = _choices(choices)

    def change(self) -> declaring.LinkChange:
        raw = self.other.data or ""
        return declaring.LinkChange(
            direction="relies" if self.direction.data == "relies" else "serves",
            external=raw == declaring.EXTERNAL,
            other_id=parse_id(raw),
            reason=clean_text(self.reason.data or "", multiline=False),
        )


class GoalForm(Form):
    title = StringField("Goal")
    target = StringField("Measurable target")
    owner = StringField("Owner's e-mail")
    starts_on = StringField("Starts on")
    ends_on = StringField("Ends on")

    def change(self) -> goals.GoalChange:
        return goals.GoalChange(
            title=clean_text(self.title.data or "", multiline=False),
            target=clean_text(self.target.data or "", multiline=False),
            owner_email=clean_text(self.owner.data or "", multiline=False),
            starts_on=(self.starts_on.data or "").strip(),
            ends_on=(self.ends_on.data or "").strip(),
        )


class ContributionForm(Form):
    goal = SelectField("Company goal", validate_choice=False)
    service = SelectField("Which of our services", validate_choice=False)
    how = StringField("How it serves the goal, in one line")

    def __init__(self, *args, goal_choices=(), service_choices=(), **kw):
        super().__init__(*args, **kw)
        self.goal.choices = _choices(goal_choices)
        self.service.choices = _choices(service_choices, "All our promises")

    def change(self) -> goals.ContributionChange:
        return goals.ContributionChange(
            goal_id=parse_id(self.goal.data),
            service_id=parse_id(self.service.data),
            how=clean_text(self.how.data or "", multiline=False),
        )


class CheckupForm(Form):
    """Open a relationship check-up with a department we serve (manage page)."""

    served = SelectField("With", validate_choice=False)
    period = StringField("Period")
    closes_on = StringField("Last day for answers")

    closes_on_date = OpenCheckInForm.closes_on_date

    def __init__(self, *args, choices: list[tuple[str, str]] = (), **kw):
        super().__init__(*args, **kw)
        self.served.choices = _choices(choices)

    def served_id(self) -> int | None:
        return parse_id(self.served.data or "")
