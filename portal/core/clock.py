"""The one clock of the use cases: `now()` is the current UTC instant unless a caller
(a test, a back-dated demo history) passes its own."""

from __future__ import annotations

from datetime import UTC, datetime


def now(at: datetime | None = None) -> datetime:
    """`at` when given (made aware in UTC if naive), otherwise the current UTC instant."""
    if at is None:
        return datetime.now(UTC)
    return aware(at)


def aware(at: datetime) -> datetime:
    """SQLite hands back naive datetimes: every stored instant is UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)
