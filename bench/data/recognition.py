"""Bench data for the recognition wall: a million thanks in bulk, with their recipients,
the departments each touches, some mentions, and reactions and add-ons on the recent
ones. Ids follow time (as they do when people post), so the wall's keyset order holds."""

from __future__ import annotations

import random
import time as clock
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, text

from portal.extensions import db
from portal.models import (
    AddOn,
    CompanyValue,
    Membership,
    Reaction,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
)
from portal.recognition import feed_cache, markup

CHUNK = 10_000
SPAN_DAYS = 730
VALUES = [
    ("Customer first", "blue", "🤝"),
    ("Own it", "amber", "🎯"),
    ("Better together", "teal", "🧩"),
    ("Keep learning", "purple", "📚"),
]
MESSAGES = [
    "Thank you for **sorting this out so quickly**: it saved our week.",
    "Huge thanks for staying late to get the release out. _Above and beyond._",
    "Thanks for the [guide](https://example.com/guide): clear and kind.",
    "Thank you for:\n\n- answering every question\n- following up\n- making it easy",
    "Your help with the quarter-end numbers was **brilliant**.",
]
REACTIONS = ["clap", "heart", "celebrate", "insightful"]


def _values() -> list[int]:
    ids = []
    for position, (name, colour, emoji) in enumerate(VALUES):
        value = db.session.scalar(select(CompanyValue).where(CompanyValue.name == name))
        if value is None:
            value = CompanyValue(name=name, colour=colour, emoji=emoji, position=position)
            db.session.add(value)
            db.session.flush()
        ids.append(value.id)
    db.session.commit()
    return ids


def generate_recognition_bench_data(total: int, echo=print, seed: int = 5) -> None:
    if db.session.scalar(select(func.count()).select_from(Recognition)):
        echo("  recognitions: already present")
        return
    started = clock.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    value_ids = _values()
    people = db.session.execute(select(User.id, User.department_id).order_by(User.id)).all()
    serving: dict[int, set[int]] = {}
    for user_id, department_id in db.session.execute(
        select(Membership.user_id, Membership.department_id)
    ):
        serving.setdefault(user_id, set()).add(department_id)
    department_ids = sorted({d for _, d in people if d})
    bench_user = db.session.scalar(select(User.id).where(User.email == "bench.user.1@example.com"))
    rendered = [markup.render_message(m) for m in MESSAGES]
    first_id = (db.session.scalar(select(func.max(Recognition.id))) or 0) + 1
    step = timedelta(days=SPAN_DAYS) / max(total, 1)
    start_at = now - timedelta(days=SPAN_DAYS)

    posts, recipients, touched, mentions = [], [], [], []

    def flush() -> None:
        db.session.execute(insert(Recognition), posts)
        db.session.execute(insert(RecognitionRecipient), recipients)
        db.session.execute(insert(RecognitionDepartment), touched)
        if mentions:
            db.session.execute(insert(RecognitionMention), mentions)
        db.session.commit()
        for rows in (posts, recipients, touched, mentions):
            rows.clear()

    for n in range(total):
        post_id = first_id + n
        author_id, author_department = rng.choice(people)
        message = rng.randrange(len(MESSAGES))
        posts.append(
            {
                "id": post_id,
                "author_id": author_id,
                "value_id": rng.choice(value_ids),
                "message": MESSAGES[message],
                "message_html": rendered[message],
                "visibility": "department" if rng.random() < 0.05 else "public",
                "request_id": None,
                "request_department_id": None,
                "addon_count": 0,
                "created_at": start_at + step * n,
                "edited_at": None,
                "hidden_at": None,
                "hidden_reason": "",
                "hidden_by_id": None,
            }
        )
        rows: dict[int, dict] = {}
        if author_department:
            rows[author_department] = {
                "recognition_id": post_id,
                "department_id": author_department,
                "given": True,
                "received": False,
            }
        received: list[int] = []
        for _ in range(rng.choice([1, 1, 1, 2])):
            person_id, person_department = rng.choice(people)
            if person_id == author_id:
                continue
            if n % 499 == 0 and bench_user:  # the bench user is thanked now and then
                person_id = bench_user
            recipients.append(
                {
                    "recognition_id": post_id,
                    "user_id": person_id,
                    "department_id": None,
                    "hidden_from_profile": False,
                }
            )
            received += [d for d in {person_department, *serving.get(person_id, ())} if d]
        if rng.random() < 0.3 or not received:
            department_id = rng.choice(department_ids)
            recipients.append(
                {
                    "recognition_id": post_id,
                    "user_id": None,
                    "department_id": department_id,
                    "hidden_from_profile": False,
                }
            )
            received.append(department_id)
        for department_id in received:
            row = rows.setdefault(
                department_id,
                {
                    "recognition_id": post_id,
                    "department_id": department_id,
                    "given": False,
                    "received": False,
                },
            )
            row["received"] = True
        touched.extend(rows.values())
        if n % 50 == 0 and bench_user and bench_user != author_id:
            mentions.append(
                {"recognition_id": post_id, "user_id": bench_user, "handle": "bench.user.1"}
            )
        if len(posts) == CHUNK:
            flush()
    if posts:
        flush()
    _join_in(rng, first_id, total, [p for p, _ in people], now)
    if db.engine.dialect.name == "postgresql":
        for table in (
            "recognition",
            "recognition_recipient",
            "recognition_reaction",
            "recognition_addon",
        ):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    echo(f"  recognitions: {total:,} in {clock.perf_counter() - started:.1f} s")


def _join_in(rng: random.Random, first_id: int, total: int, user_ids: list[int], now) -> None:
    """Reactions on the newest 20,000 posts and add-ons on the newest 5,000."""
    recent = range(max(first_id, first_id + total - 20_000), first_id + total)
    reactions = []
    for post_id in recent:
        for user_id in rng.sample(user_ids, rng.randint(0, 4)):
            reactions.append(
                {
                    "recognition_id": post_id,
                    "user_id": user_id,
                    "kind": rng.choice(REACTIONS),
                    "created_at": now,
                }
            )
    seen = set()
    unique = []
    for row in reactions:
        key = (row["recognition_id"], row["user_id"], row["kind"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    for start in range(0, len(unique), CHUNK):
        db.session.execute(insert(Reaction), unique[start : start + CHUNK])
    addons, counts = [], {}
    for post_id in range(max(first_id, first_id + total - 5_000), first_id + total):
        for user_id in rng.sample(user_ids, rng.choice([0, 0, 1, 2])):
            addons.append(
                {
                    "recognition_id": post_id,
                    "author_id": user_id,
                    "message": "Seconded, great work.",
                    "created_at": now,
                }
            )
            counts[post_id] = counts.get(post_id, 0) + 1
    for start in range(0, len(addons), CHUNK):
        db.session.execute(insert(AddOn), addons[start : start + CHUNK])
    if counts:
        db.session.execute(
            Recognition.__table__.update()
            .where(Recognition.__table__.c.id == bindparam("pid"))
            .values(addon_count=bindparam("n")),
            [{"pid": pid, "n": n} for pid, n in counts.items()],
        )
    feed_cache.bump(db.session)  # the Core UPDATE above is not seen by the ORM's hooks
    db.session.commit()
