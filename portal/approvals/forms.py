"""The approval forms: a decision (approve, or reject with a reason), handing one on, and
the admin's reassignment of an absent approver's approvals."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import HiddenField, StringField, TextAreaField

from portal.core.errors import Refused
from portal.core.forms import Form, PickedField
from portal.directory import picker
from portal.models import User


class DecisionForm(Form):
    decision = HiddenField()
    reason = TextAreaField("Why do you reject it?")

    @property
    def approve(self) -> bool:
        return self.decision.data == "approve"


class _OnePicker:
    """One people picker: what was typed (a name, @handle or e-mail) and the chip."""

    def person(self, name: str) -> User:
        typed = self[name].data or ""
        chosen = (self[f"{name}_chosen"].data or [""])[-1]
        if not typed.strip() and not chosen:
            raise Refused("Choose a colleague.", name)
        return picker.resolve_one(typed, chosen, field=name)

    def chips(self, name: str) -> list:
        chosen = (self[f"{name}_chosen"].data or [""])[-1]
        return picker.chosen_picks([chosen]) if chosen else []


class DelegateForm(_OnePicker, Form):
    delegate_to = StringField("Ask someone else to decide")
    delegate_to_chosen = PickedField(default=list)


@dataclass
class Reassignment:
    absent: User
    to: User


class ReassignForm(_OnePicker, Form):
    absent = StringField("Whose approvals")
    absent_chosen = PickedField(default=list)
    to = StringField("Move them to")
    to_chosen = PickedField(default=list)

    def change(self) -> Reassignment:
        return Reassignment(self.person("absent"), self.person("to"))
