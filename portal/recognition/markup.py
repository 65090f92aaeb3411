"""The wall's small Markdown subset (bold, italics, links, lists) as safe HTML.

markdown-it-py renders with raw HTML off, so `<script>` in a message is text; nh3 (an
allow-list sanitiser) then keeps only the tags and attributes the subset makes and
only http(s)/mailto and local links. Output is sanitised again whenever it is shown
(`safe_html`), so a stored rendering from an older rule set cannot outlive the rule.
Pure functions: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.core import text as core_text
from portal.core.markup import allow_list_sanitizer

MAX_MESSAGE = 1000

ALLOWED_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
sanitize = allow_list_sanitizer(ALLOWED_TAGS, ALLOWED_ATTRIBUTES)

_markdown = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "link", "list", "newline", "escape", "backticks"]
)

# Bidirectional overrides and isolates can make a message read differently from what it
# is (the "Trojan Source" trick); zero-width characters can hide a message entirely.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
        *range(0x2066, 0x206A),  # LRI RLI FSI PDI
        0x200B,  # zero-width space
        0x200C,  # ZWNJ
        0x200D,  # ZWJ
        0x2060,  # word joiner
        0xFEFF,  # BOM / zero-width no-break space
        0x200E,  # LRM
        0x200F,  # RLM
        0x061C,  # Arabic letter mark
        0x00AD,  # soft hyphen
    ]
)

# @handle: the local part of a colleague's e-mail address (letters, digits, . _ -).
MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9][a-z0-9._-]{0,62}[a-z0-9]|[a-z0-9])", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Text as the wall stores it: the portal's one rule (portal.core.text: line endings
    normalised, stripped), and, for words shown to the whole company, invisible and
    direction-changing characters and other control characters (but newlines and tabs)
    removed."""
    text = unicodedata.normalize("NFC", core_text.clean_text(text))
    text = text.translate(_INVISIBLE)
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    ).strip()


def mention_handles(text: str) -> list[str]:
    """The distinct @handles in a message, in order, lower case."""
    seen: list[str] = []
    for match in MENTION.finditer(text):
        handle = match.group(1).lower()
        if handle not in seen:
            seen.append(handle)
    return seen


def _markdown_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


def render_message(text: str, mentions: Mapping[str, tuple[str, str]] | None = None) -> str:
    """Markdown subset → sanitised HTML. `mentions` maps a lower-case handle to
    (display name, local profile path); other @words stay plain text."""
    mentions = mentions or {}

    def link(match: re.Match) -> str:
        found = mentions.get(match.group(1).lower())
        if found is None:
            return match.group(0)
        name, path = found
        return f"[@{_markdown_escape(name)}]({path})"

    source = MENTION.sub(link, clean_text(text)) if mentions else clean_text(text)
    return sanitize(_markdown.render(source))


def safe_html(stored: str) -> Markup:
    """A stored rendering, sanitised again on its way out."""
    return Markup(sanitize(stored))  # noqa: S704 - the allow-list sanitiser's output
