"""The page-or-fragment helpers."""

from __future__ import annotations

import json

from flask import make_response

from portal.htmx import hx_redirect, trigger


def test_trigger_adds_events_and_keeps_earlier_ones(app):
    with app.test_request_context():
        response = trigger(make_response("ok"), "requestSubmitted", {"key": "IT-1"})
        response = trigger(response, "queueChanged")
    assert json.loads(response.headers["HX-Trigger"]) == {
        "requestSubmitted": {"key": "IT-1"},
        "queueChanged": None,
    }


def test_trigger_keeps_a_plain_event_name_set_before(app):
    with app.test_request_context():
        response = make_response("ok")
        response.headers["HX-Trigger"] = "first, second"
        response = trigger(response, "third")
    assert json.loads(response.headers["HX-Trigger"]) == {
        "first": None,
        "second": None,
        "third": None,
    }


def test_hx_redirect_is_an_empty_204_with_the_location(app):
    with app.test_request_context():
        response = hx_redirect("/login")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login"
