"""The browser tests' console rule: an aborted htmx request is not an error, anything else is."""

from __future__ import annotations

from types import SimpleNamespace

from tests.browser.conftest import PageWatch

URL = "http://127.0.0.1:5000/static/vendor/htmx.min.js"


def _error(text: str):
    return SimpleNamespace(type="error", text=text, location={"url": URL})


def test_an_aborted_request_pair_is_not_counted_but_a_failed_send_is():
    watch = PageWatch(checker=None)
    for text in (
        "htmx:afterRequest, [object HTMLDivElement]",
        "htmx:sendAbort, [object HTMLDivElement]",
        "htmx:afterRequest, [object HTMLFormElement]",
        "htmx:sendError, [object HTMLFormElement]",
    ):
        watch.console_message(_error(text))

    assert watch.problems() == [
        f"console error on {URL}: htmx:afterRequest, [object HTMLFormElement]",
        f"console error on {URL}: htmx:sendError, [object HTMLFormElement]",
    ]


def test_an_after_request_line_without_an_abort_still_counts():
    watch = PageWatch(checker=None)
    watch.console_message(_error("htmx:afterRequest, [object HTMLDivElement]"))
    assert len(watch.problems()) == 1
