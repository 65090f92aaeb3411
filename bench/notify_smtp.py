"""The notify worker for real: an SMTP server down for a minute loses no e-mail, and
how many e-mails per second one worker delivers to a local SMTP server.

    .venv/bin/python bench/notify_smtp.py [--down-seconds 60] [--messages 200]
                                          [--workers 2] [--throughput 2000]

Bounded and on loopback only: a fresh SQLite database under bench/results/ (or
BENCH_DATABASE_URL; its outbox is emptied), a local aiosmtpd server, and `flask notify run`
as real worker processes. While the SMTP server is down the workers try, fail and
reschedule (NOTIFY_RETRY_BASE_SECONDS=5, so the backoff reaches 40 s within the minute);
then the server starts and the script waits (at most 5 minutes) until every message is
sent, and checks each arrived exactly once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.notify_servers import SmtpServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--down-seconds", type=float, default=60)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--throughput", type=int, default=2000)
    args = parser.parse_args()

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    db_file = results / "notify-bench.db"
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{db_file}"
    if url.startswith("sqlite") and db_file.exists():
        db_file.unlink()
    smtp = SmtpServer()  # a free port; not started yet: the server is down
    env = dict(
        os.environ,
        FLASK_APP="wsgi.py",
        INWARD_ENV="development",
        DATABASE_URL=url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_STARTTLS="0",
        SMTP_TIMEOUT_SECONDS="5",
        MAIL_FROM="Inward <inward@example.org>",
        NOTIFY_RETRY_BASE_SECONDS="5",
        NOTIFY_POLL_SECONDS="1",
    )
    os.environ.update(env)  # config.py reads the environment at import
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)

    from sqlalchemy import delete, func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import OutboxMessage
    from portal.notify import outbox
    from portal.notify.worker import Worker

    app = create_app()

    def enqueue(n: int, prefix: str) -> None:
        with app.app_context():
            for i in range(n):
                outbox.enqueue_email(
                    f"{prefix}{i}@example.org", f"{prefix} {i}", "Body", topic="bench"
                )
            db.session.commit()

    def counts() -> dict:
        with app.app_context():
            rows = db.session.execute(
                select(
                    OutboxMessage.status, func.count(), func.max(OutboxMessage.attempts)
                ).group_by(OutboxMessage.status)
            ).all()
            db.session.rollback()
        return {status.value: (n, most) for status, n, most in rows}

    with app.app_context():
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
    enqueue(args.messages, "down")
    print(
        f"{args.messages} e-mails queued; SMTP server on port {smtp.port} is DOWN; "
        f"starting {args.workers} x `flask notify run`"
    )
    workers = [
        subprocess.Popen(
            [flask, "notify", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    try:
        started = time.monotonic()
        time.sleep(args.down_seconds)
        during = counts()
        print(f"after {args.down_seconds:.0f} s down: {during}  (status: (count, max attempts))")
        smtp.start()
        print("SMTP server UP")
        up_at = time.monotonic()
        while time.monotonic() - up_at < 300:
            now = counts()
            if now.get("sent", (0, 0))[0] == args.messages:
                break
            time.sleep(1)
        drained = time.monotonic() - up_at
        time.sleep(3)  # anything sent twice would show up now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    final = counts()
    received = [m for m in smtp.messages if m[2]["Subject"].startswith("down ")]
    ids = {m[2]["Message-ID"] for m in received}
    ok = len(received) == args.messages == len(ids) and final.get("sent", (0,))[0] == args.messages
    print(
        f"all sent {drained:.1f} s after the server came back (total {time.monotonic() - started:.0f} s); "
        f"final {final}; received {len(received)}, distinct Message-IDs {len(ids)}: "
        f"{'NO E-MAIL LOST, NONE TWICE' if ok else 'MISMATCH'}"
    )

    # Throughput: one worker, in this process, server up, connection reused per batch.
    enqueue(args.throughput, "speed")
    worker = Worker(app, name="bench")
    t = time.perf_counter()
    summary = worker.run_once()
    elapsed = time.perf_counter() - t
    print(
        f"throughput: one worker sent {summary.sent} e-mails in {elapsed:.2f} s = "
        f"{summary.sent / elapsed:.0f} e-mails/s ({url.split(':')[0]}, batch "
        f"{app.config['NOTIFY_BATCH_SIZE']}, local aiosmtpd)"
    )
    smtp.stop()
    return 0 if ok and summary.sent == args.throughput else 1


if __name__ == "__main__":
    sys.exit(main())
