"""Never a 5xx: every route of the URL map × role × hostile value in every position.

The routes and the worlds come from the access-rule table (tests/access_rules/): each rule
names an endpoint, a method, the objects in its URL and a form that gets past the door. Its
positions are

- every variable segment of the route's path,
- every query parameter: the rule's own, and those of the GET forms and links on the pages
  the crawl visited that point at the same endpoint,
- every form field: the rule's own, and those of the forms on those pages that post to the
  same endpoint (read from the HTML, so dynamic forms are covered too).

Each hostile value goes into each position once for the least and the most trusted of the
roles the route lets in (anonymous, an employee, an agent, a manager of another department,
an admin), on a fresh world each; every other role sends each value once, in turn through
the positions (the door turns most of them away before any parameter is read). The answer
must never be 5xx. A failure lists every case that failed with its repro and the last line
of its traceback, so one run tells everything.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from portal.extensions import db, limiter
from tests.access_rules import all_rules, build_world
from tests.conftest import empty_all_tables
from tests.test_access_rules import _csrf_token, _sign_in

RULES = all_rules()
ROLES = ("anonymous", "employee", "agent", "other_manager", "admin")
CRAWLERS = ("admin", "manager", "agent", "employee", "anonymous")  # who reads a page
LINKS_FOLLOWED = 8  # per page: same-page links with a query (?edit=details) read too
DENIED = {302, 404, 204}  # sent to sign in, not found, or told to sign in (htmx)

FILE = object()  # a file part where text is expected (forms only)
DUPLICATE = object()  # the parameter twice (query and forms)
HOSTILE: dict[str, object] = {
    "superscript-two": "²",
    "minus-one": "-1",
    "twenty-digits": "9" * 20,
    "nul": "\x00",
    "ten-thousand": "x" * 10_000,
    "invalid-utf8": b"\xff\xfe\xc3(",
    "far-date": "9999-12-31",
    "file-part": FILE,
    "duplicated": DUPLICATE,
}


# --------------------------------------------------------------------------------------
# Reading pages: forms and links, and the endpoint each one points at


class _PageReader(HTMLParser):
    """Forms (method, action, field names with a sample value) and query strings of links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("href", "hx-get", "hx-post"):
            if a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").upper(),
                          "action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._form is not None and self._select:
                self._form["fields"].setdefault(self._select, a.get("value") or "")
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(name, a.get("value") or "on")
            elif kind != "file":
                self._form["fields"].setdefault(name, a.get("value") or "")
            else:
                self._form["fields"].setdefault(name, "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._form["fields"].setdefault(name, "")
        elif tag == "button" and a.get("value"):
            self._form["fields"].setdefault(name, a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class Discovered:
    """What the crawl learned: parameters per (endpoint, method), with sample values."""

    def __init__(self) -> None:
        self.params: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self.crawl_failures: list[str] = []

    def learn(self, app, page_url: str, html: str) -> None:
        reader = _PageReader()
        reader.feed(html)
        adapter = app.url_map.bind("localhost")
        for form in reader.forms:
            target = urlsplit(form["action"] or page_url)
            endpoint = _endpoint(adapter, target.path or urlsplit(page_url).path, form["method"])
            if endpoint:
                for name, value in form["fields"].items():
                    self.params[(endpoint, form["method"])].setdefault(name, value)
        for link in reader.links:
            target = urlsplit(link)
            if not target.query or (target.netloc and target.netloc != "localhost"):
                continue
            endpoint = _endpoint(adapter, target.path or urlsplit(page_url).path, "GET")
            if endpoint:
                for name, value in parse_qsl(target.query, keep_blank_values=True):
                    self.params[(endpoint, "GET")].setdefault(name, value)


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        endpoint, _args = adapter.match(path, method=method)
    except Exception:  # noqa: BLE001  (not one of ours, or a redirect)
        return None
    return endpoint


def _fresh_world(module):
    db.session.rollback()
    empty_all_tables()
    db.session.expunge_all()
    limiter.reset()
    world = build_world()
    if hasattr(module, "setup"):
        module.setup(world)
    return world


def _url_for(app, rule, world) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **(rule.url(world) if rule.url else {}))


_discovered: Discovered | None = None


def _read(app, found: Discovered, client, url: str, headers, who: str) -> list[str]:
    """GET one page, learn its forms and links; answer the same-endpoint links to follow."""
    with client.get(url, headers=headers) as response:
        if response.status_code >= 500:
            found.crawl_failures.append(f"GET {url} as {who}: {response.status_code}")
        if response.mimetype != "text/html":
            return []
        html = response.get_data(as_text=True)
    found.learn(app, url, html)
    reader = _PageReader()
    reader.feed(html)
    path = urlsplit(url).path
    return sorted({link for link in reader.links
                   if urlsplit(link).path in ("", path) and urlsplit(link).query})


def discovered(app) -> Discovered:
    """Crawl every GET page of the table once per run, each in its own area's world and
    as the first role that may read it, following its links to itself (?edit=…)."""
    global _discovered
    if _discovered is not None:
        return _discovered
    found = Discovered()
    by_module = defaultdict(list)
    for module, rule in RULES:
        if rule.method == "GET":
            by_module[module].append(rule)
    for module, rules in by_module.items():
        world = _fresh_world(module)
        for rule in rules:
            crawler = next((r for r in CRAWLERS if rule.expect.get(r) == 200), None)
            if crawler is None:
                continue
            client = app.test_client()
            if crawler != "anonymous":
                _sign_in(client, world.users[crawler])
            url = _url_for(app, rule, world) + (f"?{rule.query}" if rule.query else "")
            more = _read(app, found, client, url, rule.headers, crawler)
            for link in more[:LINKS_FOLLOWED]:
                target = urlsplit(link)
                _read(app, found, client, f"{urlsplit(url).path}?{target.query}", rule.headers,
                      crawler)
    empty_all_tables()
    _discovered = found
    return found


# --------------------------------------------------------------------------------------
# One case: the baseline request with one position made hostile


class _LastError(logging.Handler):
    """Keeps the last error logged by the error handlers (the traceback of a 5xx)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.last: str = ""

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            where, tb = "?", record.exc_info[2]
            while tb is not None:  # the deepest frame of our own code
                filename = tb.tb_frame.f_code.co_filename
                if "/portal/" in filename and "site-packages" not in filename:
                    where = f"{filename.split('/portal/', 1)[1]}:{tb.tb_lineno}"
                    where = f"portal/{where} in {tb.tb_frame.f_code.co_name}"
                tb = tb.tb_next
            text = f"{type(error).__name__}: {str(error)[:160]} at {where}"
        self.last = text[:300]


def _path_with(url: str, rule_pattern: str, arg: str, value) -> str:
    """The built URL with the segment of `arg` replaced by the (percent-encoded) value."""
    segments = url.split("/")
    for index, segment in enumerate(rule_pattern.split("/")):
        if segment.startswith("<") and segment.rstrip(">").split(":")[-1] == arg:
            segments[index] = quote(value, safe="")
    return "/".join(segments)


def _fuzzed(name: str) -> bool:
    return not name.endswith("csrf_token")


def _baseline_query(rule, discovered_params) -> dict[str, str]:
    query = {}
    if rule.method == "GET":
        query = {k: "" for k in discovered_params.get((rule.endpoint, "GET"), {})}
    return query | dict(parse_qsl(rule.query, keep_blank_values=True))


def _baseline_form(rule, world, discovered_params) -> dict[str, str]:
    """What the page's form would send, with the rule's own data over it."""
    if rule.method == "GET":
        return {}
    form = dict(discovered_params.get((rule.endpoint, rule.method), {}))
    form |= dict(rule.data(world)) if rule.data else {}
    return {k: v for k, v in form.items() if _fuzzed(k)}


def _positions(app, rule, query: dict, form: dict) -> list[tuple[str, str]]:
    url_rule = next(r for r in app.url_map.iter_rules(rule.endpoint))
    positions = [("path", arg) for arg in sorted(url_rule.arguments)]
    positions += [("query", name) for name in sorted(query) if _fuzzed(name)]
    positions += [("form", name) for name in sorted(form)]
    return positions or [("query", "unread")]


def full_grid_roles(rule) -> set[str]:
    """The roles that get every value in every position: the least and the most trusted
    of those the route lets in (a role turned away at the door, or a third role let in
    alike, adds little but time)."""
    statuses = set(rule.expect.values())
    let_in = [role for role in ROLES
              if not (rule.expect[role] in DENIED and len(statuses) > 1)]
    return {let_in[0], let_in[-1]} if let_in else set()


def _cases(rule, role: str, positions: list) -> list[tuple[tuple[str, str], str, object]]:
    """Every value in every position for a full-grid role; for the others each value
    once, in turn through the positions."""
    full = role in full_grid_roles(rule)
    cases = []
    for turn, (label, value) in enumerate(HOSTILE.items()):
        fitting = [position for position in positions if _applies(position[0], value)]
        if not full:
            fitting = fitting[turn % len(fitting):][:1] if fitting else []
        cases += [(position, label, value) for position in fitting]
    return cases


def _send(app, client, rule, url, query, form, position, value) -> int:
    """One request; returns its status."""
    with _open(app, client, rule, url, query, form, position, value) as response:
        return response.status_code


def _open(app, client, rule, url, query, form, position, value):
    kind, name = position
    query_pairs = list(query.items())
    form_pairs = list(form.items())
    if kind == "path":
        url = _path_with(url, next(app.url_map.iter_rules(rule.endpoint)).rule, name, value)
    pairs = query_pairs if kind == "query" else form_pairs
    if kind in ("query", "form"):
        base = dict(pairs).get(name) or "1"
        pairs[:] = [(k, v) for k, v in pairs if k != name]
        if value is DUPLICATE:
            pairs += [(name, base), (name, "2")]
        elif value is not FILE:
            pairs.append((name, value))
    if query_pairs:
        url = f"{url}?{urlencode(query_pairs)}"
    if rule.method == "GET":
        return client.open(url, method="GET", headers=rule.headers)
    csrf = _csrf_token(app, client)
    if value is FILE:
        data = MultiDict(form_pairs + [("csrf_token", csrf)])
        data.add(name, (io.BytesIO(b"not text"), "notes.txt", "text/plain"))
        return client.open(url, method=rule.method, data=data, headers=rule.headers,
                           content_type="multipart/form-data")
    body = urlencode(form_pairs + [("csrf_token", csrf)])
    return client.open(url, method=rule.method, data=body, headers=rule.headers,
                       content_type="application/x-www-form-urlencoded")


def _applies(kind: str, value) -> bool:
    if value is FILE:
        return kind == "form"
    if value is DUPLICATE:
        return kind in ("query", "form")
    return True


def _shown(value) -> str:
    if value is FILE:
        return "a file part"
    if value is DUPLICATE:
        return "the parameter twice"
    if isinstance(value, bytes):
        return f"bytes {value!r}"
    text = repr(value)
    return text if len(text) < 30 else f"{text[:12]}…({len(value)} chars)"


@pytest.mark.parametrize(("module", "rule"), RULES, ids=[rule.id for _m, rule in RULES])
def test_hostile_values_never_answer_5xx(app, module, rule):
    params = discovered(app).params
    logger = logging.getLogger("portal")
    recorder = _LastError()
    logger.addHandler(recorder)
    # Alembic's fileConfig (the suite migrates first) disables the loggers that existed.
    silenced = [lg for name, lg in logging.root.manager.loggerDict.items()
                if name.startswith("portal") and isinstance(lg, logging.Logger) and lg.disabled]
    for lg in silenced:
        lg.disabled = False
    failures: list[str] = []
    try:
        world, used = None, False
        for role in ROLES:  # a fresh world before a full grid that could find it changed
            if world is None or (used and role in full_grid_roles(rule)):
                world = _fresh_world(module)
            used = used or role in full_grid_roles(rule)
            client = app.test_client()
            if role != "anonymous":
                _sign_in(client, world.users[role])
            url = _url_for(app, rule, world)
            query = _baseline_query(rule, params)
            form = _baseline_form(rule, world, params)
            for position, label, value in _cases(rule, role, _positions(app, rule, query, form)):
                recorder.last = ""
                status = _send(app, client, rule, url, query, form, position, value)
                if status >= 500:
                    failures.append(
                        f"{rule.method} {url} as {role}: {position[0]} {position[1]!r} = "
                        f"{label} ({_shown(value)}) → {status}: {recorder.last}"
                    )
    finally:
        logger.removeHandler(recorder)
        for lg in silenced:
            lg.disabled = True
    assert not failures, f"{len(failures)} cases answered 5xx:\n" + "\n".join(failures)


def test_the_crawl_itself_answered_no_5xx(app):
    assert discovered(app).crawl_failures == []


def test_every_route_is_fuzzed(app):
    """The rules cover the URL map (test_access_rules checks it too), and every rule has
    at least one position (a route without parameters gets one nobody reads)."""
    fuzzed = {rule.endpoint for _m, rule in RULES}
    routes = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert routes <= fuzzed
    params = discovered(app).params
    assert all(_positions(app, rule, _baseline_query(rule, params), {}) for _m, rule in RULES)

