"""Mail in for real: how many inbound mails one worker takes per second on SQLite.

    .venv/bin/python bench/mail_in.py [--mails 1000]

A fresh SQLite database under bench/results/ (or BENCH_DATABASE_URL), migrated; IT with a
mailbox, 200 colleagues; then `--mails` generated messages taken one after another in one
process by `portal.mail_in.taking.take`, as `flask mail receive` and `flask mail fetch` do:
60 % new requests (one in five with a PNG), 25 % replies with quoted history to the
portal's acknowledgements (signed reply addresses), 10 % out-of-office replies, 5 % unknown
senders. Prints the mix, the seconds and mails/s. Issue 15's target: 1,000 in under a minute.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mail_messages import PNG, mail, reply_to  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    args = parser.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    db_file = results / "mail-in-bench.db"
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{db_file}"
    if url.startswith("sqlite") and db_file.exists():
        db_file.unlink()
    env = dict(
        os.environ,
        FLASK_APP="wsgi.py",
        INWARD_ENV="development",
        DATABASE_URL=url,
        ATTACHMENT_DIR=str(results / "mail-in-files"),
        MAIL_FROM="Inward <inward@example.org>",
        MAIL_IN_SENDER_LIMIT_PER_HOUR="100000",
    )
    os.environ.update(env)  # config.py reads the environment at import
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)

    from portal import create_app
    from portal.extensions import db
    from portal.mail_in import mailboxes
    from portal.mail_in.taking import take
    from portal.models import OutboxMessage
    from portal.notify.delivery import build_email
    from tests import factories

    app = create_app()
    rng = random.Random(15)
    with app.app_context():
        it = factories.make_department(slug="it", name="IT", key_prefix="IT")
        laptop = factories.make_service(it, slug="help", name="Help")
        people = [
            factories.make_user(name=f"Person {n}", email=f"p{n}@example.com") for n in range(200)
        ]
        mailboxes.add_address(it, "it-help@example.com", laptop)
        acks: list = []
        kinds: dict[str, int] = {}
        started = time.perf_counter()
        for n in range(args.mails):
            roll = rng.random()
            sender = rng.choice(people).email
            if roll < 0.25 and acks:
                kind, original = "reply", rng.choice(acks)
                raw = reply_to(
                    original, sender=str(original["To"]), text=f"Update {n}: still broken."
                )
            elif roll < 0.35 and acks:
                kind, original = "out of office", rng.choice(acks)
                raw = reply_to(
                    original,
                    sender=str(original["To"]),
                    text="Away until Monday.",
                    headers={"Auto-Submitted": "auto-replied"},
                )
            elif roll < 0.40:
                kind, raw = "unknown sender", mail(sender=f"stranger{n}@elsewhere.example")
            else:
                files = (("screen.png", "image/png", PNG),) if rng.random() < 0.2 else ()
                kind, raw = "new request", mail(sender=sender, subject=f"Problem {n}", files=files)
            outcome = take(raw)
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "new request" and outcome.request_key and len(acks) < 200:
                row = (
                    db.session.query(OutboxMessage)
                    .filter(
                        OutboxMessage.recipient == sender, OutboxMessage.topic == "request.created"
                    )
                    .order_by(OutboxMessage.id.desc())
                    .first()
                )
                acks.append(
                    message_from_bytes(
                        build_email(row, "Inward <inward@example.org>").as_bytes(),
                        policy=policy.default,
                    )
                )
        elapsed = time.perf_counter() - started
    print(", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())))
    print(
        f"{args.mails} mails in {elapsed:.1f} s: {args.mails / elapsed:.0f} mails/s "
        f"(one worker, {url.split(':', 1)[0]})"
    )
    return 0 if elapsed < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
