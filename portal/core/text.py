"""One rule for free text typed by people.

Text is stored as typed, except: line endings become "\n", surrounding white space goes,
and control characters are refused (NUL cannot be stored on PostgreSQL, and the others are
never typed on purpose). Tabs and line breaks are kept where a field allows several lines.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")

CONTROL_CHARACTER_MESSAGE = "Remove the invisible control characters from this text."
LINE_BREAK_MESSAGE = "Write this on one line."


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def has_line_break(value: str) -> bool:
    return bool(_LINE_BREAK.search(value))


def without_control_characters(value: str) -> str:
    """For what is only looked for, never stored (a search box): a control character can
    match nothing, so it goes instead of being refused."""
    return _CONTROL.sub("", value)


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(value: object, *, multiline: bool = True) -> str:
    """`value` as text people typed: newlines normalised, stripped. Does not refuse; call
    `text_problem` first where the text may carry control characters."""
    if value is None:
        return ""
    text = normalise_newlines(str(value)).strip()
    if not multiline:
        text = " ".join(text.split())
    return text


def text_problem(value: object, *, multiline: bool = True) -> str | None:
    """The message for a person when `value` cannot be taken as text, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "Enter text here."
    if has_control_characters(value):
        return CONTROL_CHARACTER_MESSAGE
    if not multiline and has_line_break(value.strip()):
        return LINE_BREAK_MESSAGE
    return None


# Bidirectional overrides and isolates make text read differently from what it is (the
# "Trojan Source" trick). Opt-in: for text published to many readers (help articles),
# where they are refused rather than silently removed.
_DIRECTION_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
DIRECTION_CONTROL_MESSAGE = (
    "Remove the invisible text-direction characters (they can make text read differently)."
)


def direction_control_problem(value: object) -> str | None:
    """The message when `value` holds bidirectional override or isolate characters."""
    if isinstance(value, str) and _DIRECTION_CONTROL.search(value):
        return DIRECTION_CONTROL_MESSAGE
    return None
