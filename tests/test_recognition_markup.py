"""The wall's Markdown subset and sanitiser, property-tested: whatever people type (or
whatever HTML reaches the sanitiser), the output has no event handler, no script or data
URL, no hx- attribute and no tag outside the allow-list."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.recognition import markup
from tests.test_recognition import assert_inert

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](https://ok.example/)",
    "<a hx-get='/x' hx-trigger=load>",
    "<div hx-post=/wall>",
    '<p data-hx-get="/x">',
    "<b onmouseover=alert(1)>",
    "**",
    "_",
    "*",
    "[",
    "](",
    ")",
    "<",
    ">",
    '"',
    "'",
    "`",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "@ivan",
    "&#106;avascript:",
    "&lt;script&gt;",
    "\u202e",
    "\u200b",
    "<iframe src=//evil>",
    "<style>*{}</style>",
    "<form action=/x><button>",
    '<a href="" onclick="x">',
    "<<script>script>",
    "on",
    "=",
    "hx-",
    "javascript:",
    "[a](<javascript:alert(1)>)",
    "![i](javascript:alert(1))",
    '<img src="x" onerror="alert(1)"/>',
    "<math><mi xlink:href='javascript:1'>",
]

message = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=25).map(
    "".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message)
def test_rendered_messages_are_always_inert(text):
    html = markup.render_message(text, {"ivan": ("Ivan <b onclick=x>", "/people/2")})
    assert_inert(html)
    assert_inert(str(markup.safe_html(html)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message)
def test_the_sanitiser_makes_any_html_inert(html):
    assert_inert(markup.sanitize(html))


@given(st.text(max_size=200))
def test_cleaned_text_has_no_invisible_or_direction_characters(text):
    cleaned = markup.clean_text(text)
    assert not any(
        ch in cleaned for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"
    )
    assert cleaned == cleaned.strip()


def test_the_subset_renders_bold_italics_links_and_lists():
    html = markup.render_message("**b** _i_ [l](https://e.example/x)\n\n- one\n- two")
    assert "<strong>b</strong>" in html and "<em>i</em>" in html
    assert '<a href="https://e.example/x" rel="noopener noreferrer nofollow">l</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html
