"""Rendered output, cached: one cache-or-build helper over the version stamps, one switch.

Where caching lives (every cache of rendered output goes through `cached`):

- directory fragments (portal.directory.fragments): the same for everyone, a few seconds,
  cleared at once in the process that changes the directory;
- request lists (portal.service_requests.list_cache): under the stamps of the lists, kept
  at most until the next instant a shown clock changes state;
- the wall (portal.recognition.feed): page ids per reader, card bodies for everyone, the
  reader's page around the form token; all under the "wall" and "wall-reactions" stamps;
- the unread-notifications count per person (portal.notify.views).

What is computed from the insights rollup is not cached here but kept per process under the
rollup's refresh instant (portal.insights.rollup.KeptPerRefresh: the scorecard's figures,
"Who asked"'s measures and its counts up to the refresh), since it changes only then.

How it stays correct: a key is filed under the current versions of the scopes it depends
on (portal.stamps), read FIRST; a change moves its scopes' stamps in its own transaction,
so once it commits the next reader's key differs. A value is also kept no longer than its
lifetime, nor past the instant `expires` gives (a clock on it changes state).

The switch: `RENDERED_CACHE` (True/False). When it is not set, the older names decide as
aliases: caching is on unless both `LIST_CACHE_SECONDS` and `DIRECTORY_CACHE_SECONDS` are 0
(the test suite sets both 0; the tests of the caches turn them on). Those two names also
give the lifetimes of lists and of directory-like fragments (`lifetime`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import current_app
from flask_caching import Cache

from portal import stamps
from portal.extensions import cache

T = TypeVar("T")

# Lifetimes when caching is on but the alias that names one is 0.
DEFAULT_SECONDS = {
    "LIST_CACHE_SECONDS": 30,
    "DIRECTORY_CACHE_SECONDS": 10,
    "CHAIN_MAP_CACHE_SECONDS": 60,
}


def enabled() -> bool:
    """The one switch (see the module's notes)."""
    config = current_app.config
    switch = config.get("RENDERED_CACHE")
    if switch is not None:
        return bool(switch)
    return bool(config.get("LIST_CACHE_SECONDS", 0) or config.get("DIRECTORY_CACHE_SECONDS", 0))


def lifetime(name: str, factor: int = 1) -> int:
    """Seconds to keep something of the kind the setting `name` names (× `factor`)."""
    seconds = current_app.config.get(name, 0) or DEFAULT_SECONDS[name]
    return int(seconds * factor)


def versions(scopes: Iterable[str]) -> str:
    """The scopes' current versions as one string (read them BEFORE the rows)."""
    return stamps.read(scopes)


def cached(
    key: str,
    build: Callable[[], T],
    *,
    seconds: int,
    scopes: Iterable[str] = (),
    read_versions: str | None = None,
    store: Cache = cache,
    expires: Callable[[T], float | None] | None = None,
) -> T:
    """The value `build()` makes, from the cache when it was made under the same key and
    the same versions of `scopes` within `seconds` (and before `expires(value)`, an epoch
    instant). With caching off, `build()` every time. A None value is not kept.
    `read_versions`: the scopes' versions when the caller read them already (first);
    `store`: `reader_cache` for what only one person reads."""
    if not enabled():
        return build()
    scopes = tuple(scopes)
    if scopes:
        key = f"{key}@{read_versions if read_versions is not None else versions(scopes)}"
    now = time.time()
    entry = store.get(key)
    if entry is not None and (entry[1] is None or entry[1] > now):
        return entry[0]
    value = build()
    if value is None:
        return value
    until = expires(value) if expires is not None else None
    if until is None or until > now:
        store.set(key, (value, until), timeout=seconds)
    return value


def cached_many(
    keys: dict[Any, str], build: Callable[[list[Any]], dict[Any, T]], *, seconds: int
) -> dict[Any, T]:
    """Many values at once: `keys` maps each item to its cache key; `build(missing items)`
    makes those not found. Items whose value is None are left out."""
    if not keys:
        return {}
    if not enabled():
        return build(list(keys))
    items = list(keys)
    found = dict(zip(items, cache.get_many(*[keys[i] for i in items]), strict=True))
    missing = [i for i, value in found.items() if value is None]
    if missing:
        made = build(missing)
        cache.set_many({keys[i]: value for i, value in made.items()}, timeout=seconds)
        found.update(made)
    return {i: value for i, value in found.items() if value is not None}
