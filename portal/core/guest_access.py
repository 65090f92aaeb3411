"""Which routes a guest may reach: declared on each view, read by one guard.

    @bp.get("/requests/mine")
    @guests_allowed
    def mine(): ...

Every other route answers a guest 404 (portal/guests/guard.py), whether it exists or not;
what a guest sees inside an allowed route is core.policy's (`is_guest`, `may_request`, …).
`guests_go_to("guests.home")` sends a guest to a page of their own instead (the home page).
"""

from __future__ import annotations

from collections.abc import Callable

_ALLOWED = "_guests_allowed"
_GO_TO = "_guests_go_to"


def guests_allowed(view: Callable) -> Callable:
    setattr(view, _ALLOWED, True)
    return view


def guests_go_to(endpoint: str) -> Callable[[Callable], Callable]:
    def mark(view: Callable) -> Callable:
        setattr(view, _GO_TO, endpoint)
        return view

    return mark


def allows_guests(view: Callable | None) -> bool:
    return bool(view is not None and getattr(view, _ALLOWED, False))


def guest_destination(view: Callable | None) -> str | None:
    return getattr(view, _GO_TO, None) if view is not None else None
