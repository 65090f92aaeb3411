"""The two ways a use case says no.

- `NotFound`: the object does not exist, or the viewer may not see it. One app-wide
  handler (portal/errors.py) answers 404, so views never catch it.
- `Refused(message, field=None)`: a change that cannot be made, in words for the person who
  tried, with the form field it is about, so a view can show it beside that field (422).
"""

from __future__ import annotations


class NotFound(Exception):
    """Not there, or not for this viewer: both answer 404 (never reveal which)."""


class Refused(Exception):
    """A refused change, with words for the person and the form field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
