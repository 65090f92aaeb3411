"""The wall's feed, rendered fast: what a page of the feed shows is cached under two
version stamps (portal.stamps): "wall" for the posts and "wall-reactions" for the
reactions on them.

How it stays correct:

- Every flush that inserts, changes or deletes a post, its recipients, mentions or
  add-ons, a company value or a department membership (which decides who sees a
  department-only post) moves the "wall" stamp on in the same transaction; every
  reaction added or taken back moves "wall-reactions". So do bulk ORM statements on
  those tables; bulk loaders that write with Core (bench data) move them themselves.
- A reader reads the stamps FIRST (both in one statement), then (on a miss) the rows, so
  what is filed under a stamp is at least as new as the stamp; once a change commits,
  the next reader's key differs and nothing drawn before it is shown again.
- Three layers, each keyed by what it depends on:
  * which posts a page holds: per reader (visibility differs per person: their own
    posts, their departments, posts that name them), filter and cursor, under "wall"
    (in `reader_cache`, with the next layer: many readers cannot push out what all share);
  * each post's card around its reaction bar: the same for everyone who may see the
    post, per post, time zone and minute (its "2 h ago"), under "wall";
  * the page as this reader sees it, reaction bars (their own presses) included: per
    reader, filter, cursor, time zone and minute, under both stamps, with a mark where
    the form token goes (each session's own token is put in when it is served).
- People's and departments' names on a card may lag a rename by up to a minute.
- The stamps are single rows: every post or reaction in the company updates one of
  them, which serialises those writes on it (fine at an intranet's rate of thanks).

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
from portal.extensions import cache, db, reader_cache
from portal.models import (
    AddOn,
    CompanyValue,
    Membership,
    Reaction,
    ReactionKind,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
)
from portal.recognition import services

WALL = "wall"
REACTIONS = "wall-reactions"
TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105 - where a reader's form token goes
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


def _scopes_of(classes) -> set[str]:
    scopes = set()
    for cls in classes:
        if issubclass(cls, _WALL_MODELS):
            scopes.add(WALL)
        elif issubclass(cls, Reaction):
            scopes.add(REACTIONS)
    return scopes


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context, _instances) -> None:
    changed = {type(obj) for obj in chain(session.new, session.dirty, session.deleted)}
    if changed:
        stamps.bump(session, _scopes_of(changed))


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(orm_execute_state) -> None:
    written = stamps.bulk_write_class(orm_execute_state)
    if written is not None:
        stamps.bump(orm_execute_state.session, _scopes_of([written]))


def bump(session: Session) -> None:
    """For writers that bypass the ORM's flush (Core statements of bench data)."""
    stamps.bump(session, [WALL, REACTIONS])


def _seconds() -> int:
    return current_app.config.get("LIST_CACHE_SECONDS", 0)


def _versions() -> dict[str, int]:
    """The wall's stamps, read once per request (first: see the module's notes)."""
    from flask import g

    if "wall_versions" not in g:
        g.wall_versions = stamps.read_each(db.session, [WALL, REACTIONS])
    return g.wall_versions


def _version() -> int:
    return _versions()[WALL]


def _kept(store, key: str, make, timeout: int):
    found = store.get(key)
    if found is None:
        found = make()
        store.set(key, found, timeout=timeout)
    return found


def _reader_key(viewer: User, wall_filter: services.WallFilter, before: int | None) -> str:
    """Who reads (visibility: the person and their department), which filter, which page."""
    filter_key = ",".join(f"{k}={v}" for k, v in sorted(wall_filter.args().items()))
    return f"{viewer.id}:{viewer.department_id}:{filter_key}:{before}"


def cached_for_wall(name: str, make):
    """Something that changes only with the wall's stamp, kept under it."""
    seconds = _seconds()
    if seconds <= 0:
        return make()
    return _kept(cache, f"wall-{name}:{_version()}", make, seconds)


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
    """A page of the feed as this reader sees it (their reactions pressed, their token)."""
    token = str(escape(generate_csrf()))
    seconds = _seconds()
    if seconds <= 0:
        return _draw_page(viewer, wall_filter, before, timezone, token)
    versions = _versions()
    minute = int(time.time() // 60)
    key = (
        f"wall-page:{versions[WALL]}.{versions[REACTIONS]}:"
        f"{_reader_key(viewer, wall_filter, before)}:{timezone}:{minute}"
    )

    def draw() -> tuple[str, int, int | None]:
        drawn = _draw_page(viewer, wall_filter, before, timezone, TOKEN_MARK)
        return str(drawn.html), drawn.count, drawn.next_cursor

    html, count, cursor = _kept(reader_cache, key, draw, min(seconds, CARD_SECONDS))
    return RenderedFeed(Markup(html.replace(TOKEN_MARK, token)), count, cursor)  # noqa: S704


def _draw_page(
    viewer: User,
    wall_filter: services.WallFilter,
    before: int | None,
    timezone: str,
    token: str,
) -> RenderedFeed:
    ids, cursor = _page_ids(viewer, wall_filter, before)
    halves = card_halves(viewer, ids, timezone)
    reactions = services.reactions_on(viewer, ids)
    url = react_url()
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
    key = f"wall-feed:{_version()}:{_reader_key(viewer, wall_filter, before)}"
    return _kept(reader_cache, key, lambda: services.feed_ids(viewer, wall_filter, before), seconds)


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
    reader's own, each count in place (htmx swaps the form after a toggle). `token`:
    the form token, escaped (or TOKEN_MARK)."""
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
        f'<input type="hidden" name="csrf_token" value="{token}">'
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
