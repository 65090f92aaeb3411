"""A lively demo wall: the company values and a few hundred thanks over the past 120 days,
with reactions and add-ons. The posts are made by the wall's own `post_recognition` with
back-dated instants; reactions and add-ons follow the wall's rules (who may see a post,
how an add-on is cleaned) and are written in bulk. Deterministic (seeded); values are
brought back to the content on every run, the posts are loaded once."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.orm import selectinload

from portal.demo.decks import Decks
from portal.demo.wall_messages import MESSAGES, NEWEST
from portal.extensions import db
from portal.models import (
    AddOn,
    CompanyValue,
    Department,
    Notification,
    OutboxMessage,
    Reaction,
    ReactionKind,
    Recognition,
    User,
)
from portal.recognition import markup
from portal.recognition.services import posting
from portal.recognition.services import reactions as wall_reactions
from portal.recognition.services import visibility as wall_visibility

DAYS = 120
POSTS = 320
SEED = 11
WORDS_SEED = 29  # the messages' own stream: rewriting one never moves the rest

VALUES = [
    ("Customer first", "We start from what our colleagues and customers need.", "🤝", "blue"),
    ("Own it", "We take responsibility and see things through.", "🎯", "amber"),
    ("Better together", "We share, help and make each other better.", "🧩", "teal"),
    ("Keep learning", "We try, learn and teach what we learned.", "📚", "purple"),
]

ADDONS = [
    "Seconded — this made a real difference to us too.",
    "Couldn't agree more!",
    "Yes! Thank you from the whole team.",
    "This helped me as well, thank you.",
    "Well deserved.",
    "Echoing this — great work.",
]


def _upsert_values() -> list[CompanyValue]:
    values = []
    for position, (name, description, emoji, colour) in enumerate(VALUES):
        value = db.session.scalar(select(CompanyValue).where(CompanyValue.name == name))
        if value is None:
            value = CompanyValue(name=name)
            db.session.add(value)
        value.description, value.emoji, value.colour = description, emoji, colour
        value.position, value.retired_at = position, None
        values.append(value)
    db.session.commit()
    return values


def demo_values() -> list[CompanyValue]:
    """The company values only (tests that need no posts)."""
    return _upsert_values()


def load_recognition_demo(departments: dict[str, Department], people: dict[str, User]) -> str:
    names = {v.id: v.name for v in _upsert_values()}
    values = list(names)
    already = db.session.scalar(select(func.count()).select_from(Recognition))
    if already:
        return f"Wall already there ({already} posts)."
    first_message = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    first_notice = db.session.scalar(select(func.max(Notification.id))) or 0
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # Work with ids and look people up as needed: every commit expires what the session
    # holds, and a session holding the whole organisation makes each commit slow. (The
    # request history also leaves the loader's objects detached.)
    emails = sorted(people)
    colleagues = list(
        db.session.execute(
            select(User.id, User.email)
            .where(User.active, User.is_guest.is_(False), User.email.in_(emails))  # no guests
            .order_by(User.email)
        )
    )
    team_names = sorted(
        db.session.scalars(select(Department.name).where(Department.slug.in_(list(departments))))
    )
    erin = db.session.scalar(select(User.id).where(User.email == "erin@example.com"))
    it_name = db.session.scalar(select(Department.name).where(Department.slug == "it"))
    messages = Decks(random.Random(WORDS_SEED), lambda value_id: MESSAGES[names[value_id]])
    instants = sorted(
        now - timedelta(minutes=rng.uniform(30, DAYS * 24 * 60)) for _ in range(POSTS)
    )
    post_ids: list[int] = []
    for n, at in enumerate(instants):
        author_id, _ = rng.choice(colleagues)
        entries: list[str] = []
        for person_id, email in rng.sample(colleagues, rng.choice([1, 1, 1, 2, 3])):
            if person_id != author_id:
                entries.append("@" + email.split("@", 1)[0])
        if rng.random() < 0.35 or not entries:
            entries.append(rng.choice(team_names))
        value_id = rng.choice(values)
        # The draw that picked one of the wall's first 12 stock messages, kept so the posts,
        # reactions and add-ons stay those tests/test_recognition_demo.py counts.
        rng.randrange(12)
        message = messages.deal(value_id)
        if n == POSTS - 1 and erin and it_name:  # the newest: Erin thanks Ivan and IT
            author_id, entries, message = erin, ["@ivan", it_name], NEWEST
        post = posting.post_recognition(
            db.session.get(User, author_id),
            recipients=", ".join(entries),
            value_id=value_id,
            message=message,
            visibility="department" if rng.random() < 0.1 else "public",
            now=at,
            notify=n >= POSTS - 5,  # only the newest few leave notices
        )
        post_ids.append(inspect(post).identity[0])  # without reading the post back
        db.session.expunge_all()
    _join_in(post_ids, colleagues, now, rng)
    # The demo sends no e-mail for thanks made up here.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_message))
    # ... and keeps only the notices of the newest few thanks (not every made-up add-on).
    db.session.execute(
        delete(Notification).where(
            Notification.id > first_notice, Notification.topic != "wall.recognised"
        )
    )
    db.session.commit()
    return f"Wall: {len(post_ids)} posts over {DAYS} days, {len(values)} company values."


def _join_in(post_ids: list[int], colleagues: list, now: datetime, rng: random.Random) -> None:
    """Reactions and add-ons on the posts, from colleagues who may see them (the wall's
    own `can_view`), written in bulk: what `toggle_reaction` and `add_addon` write for
    each (a reaction row; an add-on row, cleaned as the wall cleans it, and the post's
    count), with the same stamps moved. Their notices would be dropped below anyway."""
    kinds = list(ReactionKind)
    reacted: list[dict] = []
    added: list[dict] = []
    # Loaded once and held: the session would drop and re-read them for every post.
    posts = {
        p.id: p
        for p in db.session.scalars(
            select(Recognition)
            .where(Recognition.id.in_(post_ids))
            .options(selectinload(Recognition.recipients))
        )
    }
    users = {u.id: u for u in db.session.scalars(select(User).where(User.active))}
    for post_id in post_ids:
        post = posts[post_id]
        created = post.created_at.replace(tzinfo=UTC)
        busy = 8 if (now - created).days < 14 else 4
        for person_id, _ in rng.sample(colleagues, rng.randint(0, busy)):
            if wall_visibility.can_view(users[person_id], post):
                reacted.append(
                    {"recognition_id": post.id, "user_id": person_id, "kind": rng.choice(kinds)}
                )
        for person_id, _ in rng.sample(colleagues, rng.choice([0, 0, 0, 1, 1, 2, 3, 5])):
            person = users[person_id]
            if wall_visibility.can_view(person, post) and person.id != post.author_id:
                message = markup.clean_text(rng.choice(ADDONS))
                if not 0 < len(message) <= wall_reactions.MAX_ADDON:
                    raise RuntimeError(f"demo add-on refused by the wall: {message!r}")
                at = created + timedelta(hours=rng.randint(1, 30))
                added.append(
                    {
                        "recognition_id": post.id,
                        "author_id": person_id,
                        "message": message,
                        "created_at": at,
                    }
                )
    if reacted:
        db.session.execute(insert(Reaction), reacted)
    if added:
        db.session.execute(insert(AddOn), added)
        counts = Counter(row["recognition_id"] for row in added)
        db.session.execute(
            update(Recognition), [{"id": i, "addon_count": n} for i, n in counts.items()]
        )
