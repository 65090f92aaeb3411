"""The wall's feed, rendered fast: what a page of the feed shows is cached under the
"wall" version stamp (portal.stamps); only the reactions, which are each reader's own,
are read and drawn on every request.

How it stays correct:

- Every flush that inserts, changes or deletes a post, its recipients, mentions or
  add-ons, a company value or a department membership (which decides who sees a
  department-only post) moves the "wall" stamp on in the same transaction; so does a
  bulk ORM statement on those tables. Bulk loaders that write with Core (bench data, the
  demo) move it themselves.
- A reader reads the stamp FIRST, then (on a miss) the rows, so what is filed under a
  stamp is at least as new as the stamp; once a change commits, the next reader's key
  differs and nothing rendered before it is shown again.
- Which posts a page holds is cached per reader (visibility differs per person: their
  own posts, their departments, posts that name them) and per filter and cursor. The
  card around a post's reaction bar is the same for everyone who may see the post: it
  is cached per post, reader's time zone and minute (its "2 h ago"), so it is drawn
  once a minute per time zone, not once per reader.
- People's and departments' names on a card may lag a rename by up to a minute.

LIST_CACHE_SECONDS = 0 turns this off (the test suite does, except in the tests of
this module); the page is then read and drawn directly, through the same functions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain

from flask import current_app, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import stamps
from portal.extensions import cache, db
from portal.models import (
    AddOn,
    CompanyValue,
    Membership,
    ReactionKind,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
)
from portal.recognition import services

WALL = "wall"
_WALL_MODELS = (
    Recognition,
    RecognitionRecipient,
    RecognitionDepartment,
    RecognitionMention,
    AddOn,
    CompanyValue,
    Membership,
)
CARD_SECONDS = 60  # a drawn card is keyed by the minute; kept no longer than that


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context, _instances) -> None:
    if any(
        isinstance(obj, _WALL_MODELS) for obj in chain(session.new, session.dirty, session.deleted)
    ):
        stamps.bump(session, [WALL])


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(orm_execute_state) -> None:
    if not (
        orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert
    ):
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, _WALL_MODELS):
        stamps.bump(orm_execute_state.session, [WALL])


def bump(session: Session) -> None:
    """For writers that bypass the ORM's flush (Core inserts of bench and demo data)."""
    stamps.bump(session, [WALL])


def _seconds() -> int:
    return current_app.config.get("LIST_CACHE_SECONDS", 0)


def _version() -> str:
    """The wall's stamp, read once per request (first: see the module's notes)."""
    from flask import g

    if "wall_version" not in g:
        g.wall_version = stamps.read(db.session, [WALL])
    return g.wall_version


def cached_for_wall(name: str, make):
    """Something that changes only with the wall's stamp, kept under it."""
    seconds = _seconds()
    if seconds <= 0:
        return make()
    key = f"wall-{name}:{_version()}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, timeout=seconds)
    return found


def value_choices() -> list[services.ValueChoice]:
    """The values the thank-you form offers (a value's change moves the stamp)."""
    return cached_for_wall("values", services.value_choices)


@dataclass
class RenderedFeed:
    """A page of the feed, drawn: the cards' markup, how many, and the next cursor."""

    html: Markup
    count: int
    next_cursor: int | None


def feed(
    viewer: User,
    wall_filter: services.WallFilter,
    before: int | None,
    timezone: str,
) -> RenderedFeed:
    ids, cursor = _page_ids(viewer, wall_filter, before)
    halves = card_halves(viewer, ids, timezone)
    reactions = services.reactions_on(viewer, ids)
    token, url = generate_csrf(), react_url()
    html = "".join(
        top + reaction_form(post_id, reactions[post_id], token, url_with_mark=url) + tail
        for post_id in ids
        if (found := halves.get(post_id)) is not None
        for top, tail in (found,)
    )
    return RenderedFeed(Markup(html), len(ids), cursor)  # noqa: S704 - drawn by our templates


def _page_ids(
    viewer: User, wall_filter: services.WallFilter, before: int | None
) -> tuple[list[int], int | None]:
    seconds = _seconds()
    if seconds <= 0:
        return services.feed_ids(viewer, wall_filter, before)
    filter_key = ",".join(f"{k}={v}" for k, v in sorted(wall_filter.args().items()))
    key = f"wall-feed:{_version()}:{viewer.id}:{viewer.department_id}:{filter_key}:{before}"
    found = cache.get(key)
    if found is None:
        found = services.feed_ids(viewer, wall_filter, before)
        cache.set(key, found, timeout=seconds)
    return found


def card_halves(
    viewer: User, ids: list[int], timezone: str, compact: bool = False
) -> dict[int, tuple[str, str]]:
    """Per post: its card's markup before and after the reaction bar (the same for every
    reader who may see the post; `viewer` only reads the rows on a miss)."""
    if not ids:
        return {}
    seconds = _seconds()
    if seconds <= 0:
        return _draw(viewer, ids, compact)
    minute = int(time.time() // 60)
    prefix = f"wall-card:{_version()}:{timezone}:{minute}:{'c' if compact else 'f'}:"
    keys = [f"{prefix}{i}" for i in ids]
    found = dict(zip(ids, cache.get_many(*keys), strict=True))
    missing = [i for i, halves in found.items() if halves is None]
    if missing:
        drawn = _draw(viewer, missing, compact)
        cache.set_many(
            {f"{prefix}{i}": halves for i, halves in drawn.items()},
            timeout=min(seconds, CARD_SECONDS),
        )
        found.update(drawn)
    return {i: halves for i, halves in found.items() if halves is not None}


def _draw(viewer: User, ids: list[int], compact: bool) -> dict[int, tuple[str, str]]:
    from flask import get_template_attribute

    top = get_template_attribute("recognition/_cards.html", "card_top")
    tail = get_template_attribute("recognition/_cards.html", "card_tail")
    posts = services.posts_by_ids(ids)
    return {
        card.post.id: card_markup(top, tail, card, detail=False, compact=compact, level=3)
        for card in services.cards(viewer, posts)
    }


def card_markup(top, tail, card, detail: bool, compact: bool, level: int) -> tuple[str, str]:
    """A post's card around its reaction bar: (opening and head, add-ons and closing)."""
    post_id = int(card.post.id)
    return (
        f'<article class="post-card" id="post-{post_id}" '
        f'aria-labelledby="post-{post_id}-title">{top(card, level)}',
        f"{tail(card, detail, compact)}</article>",
    )


_URL_MARK = "987654321987"


def react_url() -> str:
    """The reaction URL with a mark where the post's id goes (url_for once a page)."""
    return str(escape(url_for("recognition.react", post_id=int(_URL_MARK))))


def reaction_form(
    post_id: int,
    reactions: list[tuple[ReactionKind, int, bool]],
    token: str,
    oob: bool = False,
    url_with_mark: str | None = None,
) -> str:
    """A post's reaction form: one toggle button per reaction, aria-pressed for the
    reader's own, each count in place (htmx swaps the form after a toggle)."""
    post_id = int(post_id)
    url = (url_with_mark or react_url()).replace(_URL_MARK, str(post_id))
    buttons = "".join(
        f'<button type="submit" name="kind" value="{kind.value}" '
        f'class="reaction{" reaction--mine" if mine else ""}" id="react-{post_id}-{kind.value}" '
        f'aria-pressed="{"true" if mine else "false"}">{_FACES[kind]}'
        f'<span class="reaction__count">{int(count)}</span></button>'
        for kind, count, mine in reactions
    )
    out_of_band = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<form class="reactions" id="reactions-{post_id}" action="{url}" method="post" '
        f'hx-post="{url}" hx-target="this" hx-swap="outerHTML"{out_of_band}>'
        f'<input type="hidden" name="csrf_token" value="{escape(token)}">'
        f'<input type="hidden" class="poll-id" name="ids" value="{post_id}">{buttons}</form>'
    )


# Each reaction's emoji (hidden from screen readers) and its name (for them).
_FACES = {
    kind: f'<span aria-hidden="true">{kind.emoji}</span>'
    f'<span class="visually-hidden">{escape(kind.label)}</span> '
    for kind in ReactionKind
}


def spotlight(viewer: User, timezone: str) -> Markup | None:
    """Today's spotlight card (compact, no reactions). Spotlight posts are public, so
    which post it is is kept per day under the stamp for everyone."""
    seconds = _seconds()
    today = datetime.now(UTC).date()
    post_id = None
    key = f"wall-spotlight:{_version()}:{today.isoformat()}" if seconds > 0 else None
    found = cache.get(key) if key else None
    if found is not None:
        post_id = found or None
    else:
        post = services.spotlight_post(viewer, today)
        post_id = post.id if post is not None else None
        public = post is None or post.visibility.value == "public"
        if key and public:
            cache.set(key, post_id or 0, timeout=seconds)
    if post_id is None:
        return None
    halves = card_halves(viewer, [post_id], timezone, compact=True).get(post_id)
    if halves is None:
        return None
    return Markup(halves[0] + halves[1])  # noqa: S704 - drawn by our templates
