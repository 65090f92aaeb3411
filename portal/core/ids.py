"""One parser for ids in paths, query strings and forms, bounded to what a column holds.

Every id column is a 32-bit integer on PostgreSQL. A value that is not plain ASCII digits
(`²` passes `str.isdigit()` but not `int()`), is 0 or negative, or is past 2³¹−1 is no id
at all: `parse_id` answers None and the route converter does not match (404).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(raw: object) -> int | None:
    """The id in `raw` (str or int), or None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ID.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if 1 <= value <= MAX_ID else None


def parse_ids(raws: Iterable[object], limit: int | None = None) -> list[int]:
    """Every id in `raws` (also comma-separated), in order, without repeats; junk skipped."""
    seen: dict[int, None] = {}
    for raw in raws:
        parts = raw.split(",") if isinstance(raw, str) else [raw]
        for part in parts:
            value = parse_id(part)
            if value is not None:
                seen.setdefault(value, None)
                if limit is not None and len(seen) >= limit:
                    return list(seen)
    return list(seen)


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits, 1 … 2³¹−1; anything else does not match."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:  # noqa: A002  (werkzeug's argument names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
