"""What the directory's query strings ask for, parsed (a GET changes nothing: read directly,
without a form object)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.core.text import without_control_characters

_NAME = re.compile(r"[a-z][a-z0-9_-]{0,40}")  # a box's id, a field's name, a slug


@dataclass(frozen=True)
class PickerAsk:
    """A people-and-teams picker's type-ahead: what was typed, which box asks (its id, for
    the options' ids), whether teams are offered and whether to leave the viewer out."""

    typed: str
    box: str
    teams: bool
    leave_me_out: bool
    within: str = ""  # a department's slug: only the people who work there
    partners: bool = False  # guests too (the wall's recipients box)

    @classmethod
    def from_args(cls, args) -> PickerAsk:
        box = args.get("box") or ""
        # The picker's input sends its own value under its own name (`field` says which).
        field = args.get("field") or "q"
        typed = args.get(field if _NAME.fullmatch(field) else "q") or ""
        return cls(
            typed=without_control_characters(typed[:200]),
            box=box if _NAME.fullmatch(box) else "picker",
            teams=args.get("teams") != "0",
            leave_me_out=args.get("not_me") == "1",
            partners=args.get("partners") == "1",
            within=within if _NAME.fullmatch(within := args.get("within") or "") else "",
        )
