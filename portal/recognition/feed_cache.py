"""The wall's feed, drawn fast: what a page of the feed shows is cached (portal.core.caching)
under two version stamps (portal.stamps): "wall" for the posts and "wall-reactions" for the
reactions on them.

How it stays correct:

- portal.stamps watches the wall's models: every flush that inserts, changes or deletes a
  post, its recipients, mentions or add-ons, a company value or a department membership
  (which decides who sees a department-only post) moves "wall" in the same transaction;
  every reaction added or taken back moves "wall-reactions". So do bulk ORM statements on
  those tables; bulk loaders that write with Core (bench data) call `bump`.
- A reader reads the stamps FIRST (both in one statement), then (on a miss) the rows, so
  what is filed under a stamp is at least as new as the stamp; once a change commits, the
  next reader's key differs and nothing drawn before it is shown again.
- What is cached, each keyed by what it depends on:
  * which posts a page holds: per reader (visibility differs per person: their own posts,
    their departments, posts that name them), filter and cursor, under "wall" (in
    `reader_cache`: many readers cannot push out what all share);
  * each post's card body (everything but the reaction form): ONE cache for every page
    that shows a card (feed, spotlight, post page, profiles, department pages), the same
    for every reader who may see the post, per post, variant, time zone and minute (its
    "2 h ago"), under "wall";
  * the reactions on a page (counts, and which are the reader's own): per reader and page,
    under "wall-reactions" (in `reader_cache`).
  The reaction forms (the reader's presses and their session's form token) are drawn by
  the template's `reaction_bar` macro on every request, around the cached bodies.
- People's and departments' names on a card may lag a rename by up to a minute.
- The stamps are single rows: every post or reaction in the company updates one of
  them, which serialises those writes on it (fine at an intranet's rate of thanks).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import g, get_template_attribute
from markupsafe import Markup
from sqlalchemy.orm import Session

from portal import stamps
from portal.core import caching
from portal.extensions import reader_cache
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
    Visibility,
)
from portal.recognition.services import cards as card_rows
from portal.recognition.services import feed as feed_service
from portal.recognition.services import highlights, reactions, values
from portal.recognition.services.feed import Card, WallFilter

WALL = "wall"
REACTIONS = "wall-reactions"
CARD_SECONDS = 60  # a drawn card is keyed by the minute; kept no longer than that
CARDS = "recognition/_cards.html"

for _model in (
    Recognition,
    RecognitionRecipient,
    RecognitionDepartment,
    RecognitionMention,
    AddOn,
    CompanyValue,
    Membership,
):
    stamps.watch(_model, lambda _row: (WALL,), bulk=[WALL])
stamps.watch(Reaction, lambda _row: (REACTIONS,), bulk=[REACTIONS])


def bump(session: Session) -> None:
    """For writers that bypass the ORM's flush (Core statements of bench data)."""
    stamps.bump(session, [WALL, REACTIONS])


def _seconds() -> int:
    return caching.lifetime("LIST_CACHE_SECONDS")


def _versions() -> dict[str, int]:
    """The wall's stamps, read once per request (first: see the module's notes)."""
    if "wall_versions" not in g:
        g.wall_versions = stamps.read_each([WALL, REACTIONS])
    return g.wall_versions


def _reader_key(viewer: User, wall_filter: WallFilter, before: int | None) -> str:
    """Who reads (visibility: the person and their department), which filter, which page."""
    filter_key = ",".join(f"{k}={v}" for k, v in sorted(wall_filter.args().items()))
    return f"{viewer.id}:{viewer.department_id}:{filter_key}:{before}"


def cached_for_wall(name: str, make):
    """Something that changes only with the wall's stamp (and the minute's lifetime)."""
    return caching.cached(
        f"wall-{name}:{_versions()[WALL]}", make, seconds=min(_seconds(), CARD_SECONDS)
    )


def value_choices() -> list[values.ValueChoice]:
    """The values the thank-you form offers (a value's change moves the stamp)."""
    return cached_for_wall("values", values.value_choices)


# Card bodies: one cache for every page that shows a card -------------------------------


@dataclass(frozen=True)
class Variant:
    """How a card is drawn: the feed's (level 3, reactions, add-ons), a compact one
    (profiles, department pages, the spotlight: no reactions), a post's own page."""

    detail: bool = False
    compact: bool = False
    level: int = 3
    prefix: str = ""  # before every id in the card, so one post can be on a page twice

    @property
    def key(self) -> str:
        return f"{int(self.detail)}{int(self.compact)}{self.level}{self.prefix}"


FEED = Variant()
COMPACT = Variant(compact=True)  # a card among others on a page of its own: no reactions
SPOTLIGHT = Variant(compact=True, prefix="spotlight-")


@dataclass(frozen=True)
class CardBody:
    """A card's markup before and after its reaction form (the same for every reader)."""

    post_id: int
    top: Markup
    tail: Markup


def _card_keys(ids: list[int], timezone: str, variant: Variant) -> dict[int, str]:
    minute = int(time.time() // 60)
    prefix = f"wall-card:{_versions()[WALL]}:{timezone}:{minute}:{variant.key}:"
    return {i: f"{prefix}{i}" for i in ids}


def card_bodies(
    viewer: User, ids: list[int], timezone: str, variant: Variant = FEED
) -> dict[int, CardBody]:
    """Per post: its card body (`viewer` only reads the rows on a miss)."""
    return caching.cached_many(
        _card_keys(ids, timezone, variant),
        lambda missing: _draw(viewer, missing, variant),
        seconds=min(_seconds(), CARD_SECONDS),
    )


def card_body(card: Card, timezone: str, variant: Variant) -> CardBody:
    """One card's body, for a card already read (a post's page, a profile)."""
    found = caching.cached_many(
        _card_keys([card.post.id], timezone, variant),
        lambda _missing: _bodies([card_rows.face_of(card)], variant),
        seconds=min(_seconds(), CARD_SECONDS),
    )
    return found[card.post.id]


def _draw(viewer: User, ids: list[int], variant: Variant) -> dict[int, CardBody]:
    return _bodies(card_rows.faces_by_ids(viewer, ids), variant)


def _bodies(faces: list[card_rows.CardFace], variant: Variant) -> dict[int, CardBody]:
    """The bodies of these cards, drawn in one call of the template's `card_bodies`."""
    drawn: list[tuple[int, Markup, Markup]] = []
    draw = get_template_attribute(CARDS, "card_bodies")
    draw(faces, drawn, variant.level, variant.prefix, variant.detail, variant.compact)
    return {post_id: CardBody(post_id, top, tail) for post_id, top, tail in drawn}


# A page of the feed ---------------------------------------------------------------------


@dataclass
class FeedEntry:
    body: CardBody
    reactions: list[tuple[ReactionKind, int, bool]]


@dataclass
class FeedPage:
    """A page of the feed as this reader sees it: its cards (their reaction forms drawn
    with the reader's presses; the session's form token is not in them: the template
    gives each form its token, `form="reactions-<id>"`), the posts' ids, the next cursor."""

    html: Markup
    ids: list[int]
    next_cursor: int | None

    @property
    def count(self) -> int:
        return len(self.ids)


def feed(viewer: User, wall_filter: WallFilter, before: int | None, timezone: str) -> FeedPage:
    versions = _versions()
    minute = int(time.time() // 60)
    key = (
        f"wall-page:{versions[WALL]}.{versions[REACTIONS]}:"
        f"{_reader_key(viewer, wall_filter, before)}:{timezone}:{minute}"
    )

    def draw() -> tuple[str, list[int], int | None]:
        ids, cursor = _page_ids(viewer, wall_filter, before)
        bodies = card_bodies(viewer, ids, timezone)
        shown = [i for i in ids if i in bodies]
        on = reactions.reactions_on(viewer, shown)
        cards = get_template_attribute(CARDS, "feed_cards")
        html = str(cards([FeedEntry(bodies[i], on[i]) for i in shown]))
        return html, shown, cursor

    html, ids, cursor = caching.cached(
        key, draw, seconds=min(_seconds(), CARD_SECONDS), store=reader_cache
    )
    return FeedPage(Markup(html), ids, cursor)  # noqa: S704 - drawn by our templates


def _page_ids(
    viewer: User, wall_filter: WallFilter, before: int | None
) -> tuple[list[int], int | None]:
    return caching.cached(
        f"wall-feed:{_versions()[WALL]}:{_reader_key(viewer, wall_filter, before)}",
        lambda: feed_service.feed_ids(viewer, wall_filter, before),
        seconds=_seconds(),
        store=reader_cache,
    )


def spotlight(viewer: User, timezone: str) -> CardBody | None:
    """Today's spotlight card (compact, no reactions; its ids apart from the feed's).
    Spotlight posts are public, so which post it is is kept per day for everyone (one
    that is not public is this reader's alone: not kept)."""
    today = datetime.now(UTC).date()
    found: dict[str, Recognition | None] = {}

    def choose() -> int | None:
        post = found["post"] = highlights.spotlight_post(viewer, today)
        if post is not None and post.visibility != Visibility.PUBLIC:
            return None
        return post.id if post is not None else 0

    chosen = caching.cached(
        f"wall-spotlight:{_versions()[WALL]}:{today.isoformat()}", choose, seconds=_seconds()
    )
    if chosen is None and found.get("post") is not None:
        chosen = found["post"].id
    if not chosen:
        return None
    return card_bodies(viewer, [chosen], timezone, SPOTLIGHT).get(chosen)
