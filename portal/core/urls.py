"""Where a redirect may go: a path on this site, never another site (no open redirects).
Sign-in's `next` and the wall's return to a post's place in the feed both read through it."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def safe_next(target: str | None, avoid: tuple[str, ...] = ()) -> str | None:
    """`target` when it is a path on this site (and starts with none of `avoid`), else None:
    not `https://evil.example/`, `//evil`, `/\\evil`, a control character or 2,000+ characters."""
    if not target or len(target) > MAX_LENGTH:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if avoid and target.startswith(avoid):
        return None
    return target
