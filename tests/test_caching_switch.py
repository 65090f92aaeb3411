"""One cache-or-build helper over the stamps, one switch (portal.core.caching)."""

from __future__ import annotations

from portal import stamps
from portal.core import caching
from portal.extensions import cache, db


def test_one_switch_decides_and_the_old_names_are_its_aliases(app):
    config = app.config
    saved = {k: config.get(k) for k in ("RENDERED_CACHE", "LIST_CACHE_SECONDS")}
    try:
        config.pop("RENDERED_CACHE", None)
        assert not caching.enabled()  # the test suite: both old names 0
        config["LIST_CACHE_SECONDS"] = 30
        assert caching.enabled()  # an alias turns it on
        config["RENDERED_CACHE"] = False
        assert not caching.enabled()  # the switch wins over the aliases
        config["RENDERED_CACHE"] = True
        config["LIST_CACHE_SECONDS"] = 0
        assert caching.enabled()
    finally:
        for key, value in saved.items():
            if value is None:
                config.pop(key, None)
            else:
                config[key] = value


def test_a_value_is_kept_under_its_scopes_versions_until_a_change(app):
    app.config["RENDERED_CACHE"] = True
    built = []

    def build():
        built.append(1)
        return f"drawn {len(built)}"

    try:
        cache.clear()
        first = caching.cached("t", build, seconds=60, scopes=["test-scope"])
        assert caching.cached("t", build, seconds=60, scopes=["test-scope"]) == first
        assert len(built) == 1
        stamps.bump(db.session, ["test-scope"])
        db.session.commit()
        assert caching.cached("t", build, seconds=60, scopes=["test-scope"]) == "drawn 2"
        # Past the instant `expires` gives, a value is not served (nor kept).
        assert caching.cached("u", build, seconds=60, expires=lambda _v: 1.0) == "drawn 3"
        assert caching.cached("u", build, seconds=60, expires=lambda _v: 1.0) == "drawn 4"
        assert caching.cached("n", lambda: None, seconds=60) is None  # None is not kept
    finally:
        app.config.pop("RENDERED_CACHE", None)
        cache.clear()
    assert caching.cached("t", build, seconds=60, scopes=["test-scope"]) == "drawn 5"  # off
