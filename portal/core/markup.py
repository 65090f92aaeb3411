"""The one way people's Markdown becomes HTML that is safe to show: markdown-it-py renders
with raw HTML off (so `<script>` typed is text), then nh3, an allow-list sanitiser, keeps
only the tags and attributes the area's subset makes, and only http(s), mailto and local
links, each marked noopener/noreferrer/nofollow. Each area (the wall's short messages, the
help articles) names its own allow-list; the rule itself lives here. Pure: no Flask, no
database."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})


def allow_list_sanitizer(
    tags: Set[str], attributes: Mapping[str, Set[str]]
) -> Callable[[str], str]:
    """A sanitiser that keeps only `tags` with their `attributes`."""
    tags = set(tags)
    attributes = {tag: set(names) for tag, names in attributes.items()}

    def sanitize(html: str) -> str:
        return nh3.clean(
            html,
            tags=tags,
            attributes=attributes,
            url_schemes=set(URL_SCHEMES),
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )

    return sanitize
