"""Rendered directory fragments, cached for a few seconds (portal.core.caching).

The directory is read far more than it changes, and the same for everyone, so its
rendered parts are cached (DIRECTORY_CACHE_SECONDS, 10 s by default): a change shows
everywhere within that time, and at once where the cache is shared (Redis) or in the
process that made the change (`directory_changed`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from portal.core import caching
from portal.extensions import cache


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value cached under `key`, or build it (None is returned, not cached)."""
    return caching.cached(key, build, seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"))


def as_markup(html: str) -> Markup:
    return Markup(html)  # noqa: S704 - our own template's output, escaped when rendered


def directory_changed() -> None:
    """Forget every cached directory fragment (call after committing a change)."""
    cache.clear()
