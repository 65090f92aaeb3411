"""Text typed into the feedback forms, read by the one rule of `portal.core.text`:
control characters are refused beside their field, line endings normalised, the ends
stripped; each field keeps its own limit and words."""

from __future__ import annotations

from portal.core.errors import Refused
from portal.core.text import clean_text, text_problem


def typed_text(
    value: object, limit: int, too_long: str, field: str, *, multiline: bool = True
) -> str:
    """`value` as the person typed it, or Refused(…, field) saying what to fix."""
    if not isinstance(value, str):
        return ""
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise Refused(problem, field)
    text = clean_text(value, multiline=multiline)
    if len(text) > limit:
        raise Refused(too_long, field)
    return text
