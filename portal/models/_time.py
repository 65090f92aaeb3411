from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now; pass the function itself as a column default."""
    return datetime.now(UTC)
