"""Failed sign-ins slow down whoever fails, not the account's owner.

Failures are counted per (account, address). The first few are free; after that each
further failure from that address makes it wait longer before it may try that account
again (30 s, 1 min, 2 min … at most 15 min by default). The right password from another
address, one without failures, is let in at once, so nobody can lock a colleague out by
typing wrong passwords for them. Two limits stay above this (Flask-Limiter, in views.py):
a much higher ceiling of failures per account from all addresses together (slow guessing
from many machines), and one per address across all accounts (spraying one password).

Counts live in the rate-limit storage (`RATELIMIT_STORAGE_URI`), so every worker shares
them when it is Redis.
"""

from __future__ import annotations

import time

from flask import current_app

from portal.extensions import limiter


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _key(kind: str, email: str, address: str | None) -> str:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return f"{prefix}signin-{kind}:{email[:254]}|{address or '-'}"


def wait_seconds(email: str, address: str | None) -> int:
    """How long this address must still wait before trying this account again (0: now)."""
    if not _enabled():
        return 0
    storage = limiter.storage
    key = _key("wait", email, address)
    if storage.get(key) <= 0:
        return 0
    return max(1, int(storage.get_expiry(key) - time.time() + 0.999))


def delay_after(failures: int) -> int:
    """The wait after the `failures`-th failure in a row from one address for one account."""
    config = current_app.config
    free = config["SIGNIN_FREE_FAILURES"]
    if failures < free:
        return 0
    base = config["SIGNIN_DELAY_SECONDS"]
    longest = config["SIGNIN_MAX_DELAY_SECONDS"]
    return int(min(base * 2 ** min(failures - free, 20), longest))


def record_failure(email: str, address: str | None) -> int:
    """Count one failure; answers the wait it earns (0: none yet)."""
    if not _enabled():
        return 0
    storage = limiter.storage
    memory = current_app.config["SIGNIN_FAILURE_MEMORY_SECONDS"]
    failures = storage.incr(_key("fail", email, address), memory)
    delay = delay_after(failures)
    if delay:
        storage.clear(_key("wait", email, address))
        storage.incr(_key("wait", email, address), delay)
    return delay


def record_success(email: str, address: str | None) -> None:
    if not _enabled():
        return
    limiter.storage.clear(_key("fail", email, address))
