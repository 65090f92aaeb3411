"""Many colleagues submitting requests at once, over HTTP, against a running Inward.

Each client signs in with its own session cookie, opens the request form once (for the
CSRF token) and then posts the form again and again, every time with a fresh form token,
as a person filing request after request would. Bounded: a fixed number of submissions,
loopback only. Used by tests/test_request_load.py (correctness: exactly N requests,
unique keys, no 5xx) and by `bash bench/run` (throughput)."""

from __future__ import annotations

import http.client
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class LoadResult:
    submitted: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.submitted / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _client(host, port, path, cookie, count, form, result, lock, start):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    cookies = {"session": cookie}

    def send(method, body=None, headers=None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response, data

    try:
        response, page = send("GET")
        match = CSRF.search(page.decode())
        if response.status != 200 or not match:
            raise RuntimeError(f"form page answered {response.status}")
        token = match.group(1)
        start.wait()
        for _ in range(count):
            body = urllib.parse.urlencode(
                {**form, "csrf_token": token, "form_token": secrets.token_urlsafe(16)}
            )
            response, _ = send("POST", body, {"Content-Type": "application/x-www-form-urlencoded"})
            location = response.headers.get("Location", "")
            with lock:
                result.statuses[response.status] = result.statuses.get(response.status, 0) + 1
                if response.status == 303:
                    result.submitted += 1
                    result.keys.append(location.rsplit("/", 1)[-1])
    except Exception as exc:  # noqa: BLE001 - reported to the caller
        with lock:
            result.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def submit_load(
    base_url: str, path: str, cookies: list[str], total: int, form: dict[str, str]
) -> LoadResult:
    """`total` submissions spread over one client per cookie, all started together."""
    parsed = urllib.parse.urlsplit(base_url)
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(len(cookies) + 1)
    share, extra = divmod(total, len(cookies))
    threads = [
        threading.Thread(
            target=_client,
            args=(
                parsed.hostname,
                parsed.port,
                path,
                cookie,
                share + (i < extra),
                form,
                result,
                lock,
                start,
            ),
        )
        for i, cookie in enumerate(cookies)
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    result.seconds = time.perf_counter() - began
    return result
