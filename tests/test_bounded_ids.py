"""Item 8 of issue 12: an id past what a column holds never reaches the database.

Every `<int:…>` in every route is bounded (1 … 2³¹−1, ASCII digits): 20 digits, 2³¹, 0,
`-1` and `²` do not match, so the answer is 404 for every method the route takes.
"""

from __future__ import annotations

import re

import pytest

from portal.core.ids import MAX_ID, BoundedIntConverter
from tests.conftest import signed_in_client
from tests.test_access_rules import _csrf_token

VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>")
OUT_OF_RANGE = ["9" * 20, str(MAX_ID + 1), "0", "-1", "%C2%B2", "12345678901"]


def _int_routes(app):
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


def _path(rule, bad: str) -> str:
    """The route with `bad` for each int and "it" for every other variable."""
    return VARIABLE.sub(lambda m: bad if m.group(1) == "int" else "it", rule.rule)


def test_every_int_route_is_bounded(app):
    rules = _int_routes(app)
    assert len(rules) > 30
    for rule in rules:
        for converter in rule._converters.values():
            if isinstance(converter, BoundedIntConverter):
                assert converter.max == MAX_ID and converter.min == 1


@pytest.mark.parametrize("bad", OUT_OF_RANGE)
def test_ids_past_the_column_are_404_on_every_int_route(app, make_user, bad):
    client = signed_in_client(app, make_user(is_admin=True))
    token = _csrf_token(app, client)
    assert _int_routes(app)
    for rule in _int_routes(app):
        path = _path(rule, bad)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method != "GET" else None
            with client.open(path, method=method, data=data) as response:
                assert response.status_code == 404, f"{method} {path}: {response.status_code}"


def test_the_largest_id_is_simply_not_found(app, make_user):
    client = signed_in_client(app, make_user(is_admin=True))
    assert client.get(f"/people/{MAX_ID}").status_code == 404
    assert client.get(f"/wall/{MAX_ID}").status_code == 404
