"""An article's Markdown as safe HTML: the wall's pipeline (markdown-it-py with raw HTML
off, then the nh3 allow-list), with the wider set of blocks a how-to needs (headings,
numbered steps, code, quotes, tables). Headings start at level 2 (the page's title is the
one h1). Pure functions: no Flask, no database."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

from portal.core.markup import allow_list_sanitizer

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "br",
    "code",
    "pre",
    "blockquote",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
sanitize = allow_list_sanitizer(ALLOWED_TAGS, ALLOWED_ATTRIBUTES)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_markdown.disable("image")  # no pictures from elsewhere (nor data: URLs)


def render(text: str) -> Markup:
    """Markdown → sanitised HTML under the page's h1: the body's highest heading becomes an
    h2 and the others keep their steps below it (an article written with ## only starts at
    h2, never skipping a level), h5 at most."""
    tokens = _markdown.parse(text or "")
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    shift = 2 - min((int(t.tag[1]) for t in headings), default=2)
    for token in headings:
        token.tag = f"h{min(int(token.tag[1]) + shift, 5)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(sanitize(html))  # noqa: S704 - the allow-list sanitiser's output
