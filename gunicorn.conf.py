"""gunicorn settings for Inward: `gunicorn wsgi:app` reads this file from the project's
directory (bench/run and the README's production command name it with -c). Anything here
can be overridden on the command line (`-w 4`, `-b 0.0.0.0:8000`) or by the environment
variables below.

gc.freeze() once a worker has loaded the app: everything alive then (modules, the app,
templates compiled at start, the url map) moves out of the collector's reach, so no full
collection walks it again on a request. On this app it cut the p99 at one connection from
33 to 9 ms (issue 21). A collection runs first, so no garbage is frozen with it.
"""

from __future__ import annotations

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each, pages are mostly Python (CPU), so about two per
# core covers the time a request waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Each worker builds its own app (and its own database pool): no connection or lock is
# shared across a fork. preload_app would share more memory but open that door.
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" for stdout
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


def post_worker_init(worker) -> None:
    """After the worker has imported and built the app: collect once, then freeze."""
    gc.collect()
    gc.freeze()
