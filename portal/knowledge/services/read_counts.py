"""How often each article is read (the most-read lists, issue 14 item 4), counted without a
write per reading.

A write per page view would make every reader of an article queue for SQLite's one writer
(and take a row lock on PostgreSQL) for a figure nobody needs to the second. Each process
keeps its readings in memory and adds them to `knowledge_article.views` in one transaction
with the first reading after ARTICLE_VIEWS_FLUSH_SECONDS (30; 0 writes each reading at once)
have passed, and when the process exits. A crash loses the readings of one process since
its last flush: a count of readers, not a record of them."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from flask import current_app
from sqlalchemy import bindparam, update
from sqlalchemy.exc import SQLAlchemyError

from portal.database import write_transaction
from portal.extensions import db
from portal.models import Article

log = logging.getLogger(__name__)

_pending: Counter[int] = Counter()
_lock = threading.Lock()
_last_flush = 0.0

_ADD = (
    update(Article)
    .where(Article.id == bindparam("article_id"))
    .values(views=Article.views + bindparam("readings"))
    .execution_options(synchronize_session=False)
)


def count_reading(article_id: int) -> None:
    """One more reading of the article, added to its count with the others soon."""
    with _lock:
        _pending[article_id] += 1
        due = time.monotonic() - _last_flush >= current_app.config["ARTICLE_VIEWS_FLUSH_SECONDS"]
    if due:
        flush()


def flush() -> int:
    """Add the readings kept so far to the articles' counts, in one transaction; how many.
    On a database error they are kept for the next flush."""
    global _last_flush
    with _lock:
        readings = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not readings:
        return 0
    rows = [{"article_id": a, "readings": n} for a, n in readings.items()]
    try:
        with write_transaction(keep_loaded=True):
            db.session.connection().execute(_ADD, rows)
    except SQLAlchemyError:
        log.warning("article readings not counted yet (%d kept for the next flush)", len(rows))
        with _lock:
            _pending.update(readings)
        return 0
    return sum(readings.values())


def pending() -> int:
    with _lock:
        return sum(_pending.values())


def flush_at_exit(app) -> None:
    """Count what is left when the process ends (a worker restarted by gunicorn)."""

    def _flush() -> None:
        if pending():
            with app.app_context():
                flush()

    atexit.register(_flush)
