"""The wall's feed is served from a cache filed under the "wall" version stamp, which
every change to a post, its recipients, add-ons, a value or a membership moves in its own
transaction. With the cache on, every reader still sees every committed change at once,
only what they may see, and their own reactions and form token."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from portal import stamps
from portal.extensions import cache, db
from portal.models import Membership, MembershipRole, Recognition
from portal.recognition import feed_cache
from portal.recognition.services import moderation, posting, values
from portal.recognition.services import reactions as wall_reactions
from tests import factories
from tests.conftest import CSRF_PATTERN
from tests.conftest import signed_in_client as reader
from tests.test_recognition import _post as post

HX = {"HX-Request": "true"}


# Every test on each cache backend: per process (SimpleCache), or shared by every worker
# (Redis, as production with CACHE_REDIS_URL), through the one `cached_app` (tests/worlds.py).
WALL_CACHES = {"LIST_CACHE_SECONDS": 30, "DIRECTORY_CACHE_SECONDS": 10}
pytestmark = pytest.mark.parametrize(
    "cached_app",
    [WALL_CACHES, {**WALL_CACHES, "CACHE_TYPE": "RedisCache"}],
    ids=["SimpleCache", "RedisCache"],
    indirect=True,
)


@pytest.fixture
def world(cached_app, wall):  # the wall world (tests/worlds.py), made in the caching app
    return wall


def page(client, url="/wall", **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="post-card" id="post-(\d+)"', html)]


def feed_ids(html: str) -> list[int]:
    """The posts in the feed (not the spotlight beside it)."""
    start = html.index('id="feed-list"')
    end = html.find('aria-label="Around the wall"')
    return card_ids(html[start : end if end > start else len(html)])


def without_tokens(html: str) -> str:
    for match in CSRF_PATTERN.finditer(html):
        html = html.replace(match.group(1) or match.group(2), "")
    return html


def test_every_change_to_a_post_shows_to_the_next_reader(world, cached_app):
    first = post(world, message="First words")
    hugo = reader(cached_app, world.hugo)
    assert "First words" in page(hugo)  # now cached

    second = post(world, author=world.iris, recipients="@hugo", message="Second post")
    html = page(hugo)
    assert feed_ids(html) == [second.id, first.id]

    posting.edit_recognition(world.erin, first, value_id=world.own_it.id, message="Better")
    wall_reactions.add_addon(world.iris, first, "Seconded!")
    html = page(hugo)
    assert "Better" in html and "First words" not in html and "Seconded!" in html

    value = db.session.get(type(world.own_it), world.own_it.id)
    values.edit_value(
        world.ada, value, name="Own the outcome", description="", emoji="", colour="green"
    )
    html = page(hugo)
    assert "Own the outcome" in html and "value-tag--green" in html

    moderation.moderate(world.ada, first, hide=True, reason="Off topic")
    assert feed_ids(page(hugo)) == [second.id]
    moderation.moderate(world.ada, first, hide=False, reason="Fine after all")
    assert feed_ids(page(hugo)) == [second.id, first.id]

    posting.delete_recognition(world.iris, second)
    assert feed_ids(page(hugo)) == [first.id]


def test_the_cached_page_is_the_page_drawn_without_the_cache(world, cached_app, app):
    for n in range(3):
        post(world, message=f"Post {n}")
    wall_reactions.add_addon(world.iris, db.session.get(Recognition, 1), "Agreed")
    hugo = reader(cached_app, world.hugo)
    page(hugo)  # fill the cache
    cached = page(hugo)
    cached_app.config["LIST_CACHE_SECONDS"] = 0
    cached_app.config["DIRECTORY_CACHE_SECONDS"] = 0
    try:
        direct = page(hugo)
    finally:
        cached_app.config["LIST_CACHE_SECONDS"] = 30
        cached_app.config["DIRECTORY_CACHE_SECONDS"] = 10
    assert without_tokens(cached) == without_tokens(direct)


def test_department_only_posts_stay_with_their_departments(world, cached_app):
    public = post(world, recipients="@hugo", message="For everyone")
    private = post(world, visibility="department", message="Only for IT")
    ivan, hugo = reader(cached_app, world.ivan), reader(cached_app, world.hugo)

    assert feed_ids(page(ivan)) == [private.id, public.id]  # its card is now cached
    assert feed_ids(page(hugo)) == [public.id]
    assert "Only for IT" not in page(hugo)
    assert "Only for IT" not in page(hugo, "/wall?department=it")
    assert "Only for IT" not in page(hugo, f"/wall?before={private.id + 1}", **HX)

    # Erin wrote it, so she sees it; Sam, in her department, does not.
    sam = factories.make_user(name="Sam Sales", department_id=world.sales.id)
    assert feed_ids(page(reader(cached_app, world.erin))) == [private.id, public.id]
    assert feed_ids(page(reader(cached_app, sam))) == [public.id]

    # Hugo joins IT: the membership moves the stamp, and he sees IT's post.
    db.session.add(
        Membership(user_id=world.hugo.id, department_id=world.it.id, role=MembershipRole.AGENT)
    )
    db.session.commit()
    assert feed_ids(page(hugo)) == [private.id, public.id]


def test_reactions_are_each_readers_own_and_current(world, cached_app):
    thanks = post(world)
    ivan, hugo = reader(cached_app, world.ivan), reader(cached_app, world.hugo)
    page(ivan), page(hugo)  # both cached

    wall_reactions.toggle_reaction(world.ivan, thanks, "clap")
    mine = page(ivan)
    theirs = page(hugo)
    clap = f'id="react-{thanks.id}-clap" aria-pressed="%s"><span aria-hidden="true">👏'
    assert clap % "true" in mine and clap % "false" in theirs
    count = re.compile(rf'id="react-{thanks.id}-clap".*?reaction__count">(\d+)<', re.S)
    assert count.search(mine).group(1) == count.search(theirs).group(1) == "1"

    wall_reactions.toggle_reaction(world.ivan, thanks, "clap")
    assert count.search(page(hugo)).group(1) == "0"
    assert clap % "false" in page(ivan)


def test_the_thank_form_carries_each_readers_own_token(world, cached_app):
    post(world)
    erin, hugo = reader(cached_app, world.erin), reader(cached_app, world.hugo)
    page(erin)  # draws the blank form once
    for client in (erin, hugo):
        html = page(client)
        tokens = {m.group(1) for m in CSRF_PATTERN.finditer(html) if m.group(1)}
        assert len(tokens) == 1 and "\x00" not in html  # the form's token is the reader's
        response = client.post(
            "/wall",
            data={
                "csrf_token": tokens.pop(),
                "recipients": "@iris",
                "value": str(world.customer_first.id),
                "message": "Thanks for the help",
                "visibility": "public",
            },
        )
        assert response.status_code == 303
    erin_tokens = {m.group(1) for m in CSRF_PATTERN.finditer(page(erin)) if m.group(1)}
    hugo_tokens = {m.group(1) for m in CSRF_PATTERN.finditer(page(hugo)) if m.group(1)}
    assert erin_tokens.isdisjoint(hugo_tokens)


def test_a_readers_second_session_gets_its_own_tokens_in_the_cached_feed(world, cached_app):
    thanks = post(world)
    laptop, phone = reader(cached_app, world.hugo), reader(cached_app, world.hugo)
    page(laptop)  # the feed as Hugo sees it is now cached, drawn in the laptop's session
    html = page(phone)
    tokens = {m.group(1) for m in CSRF_PATTERN.finditer(html) if m.group(1)}
    assert len(tokens) == 1  # the phone's own, in every form of the page
    response = phone.post(
        f"/wall/{thanks.id}/react", data={"csrf_token": tokens.pop(), "kind": "heart"}
    )
    assert response.status_code == 303


def test_a_prefilled_form_is_never_the_cached_blank_one(world, cached_app):
    erin = reader(cached_app, world.erin)
    page(erin)
    html = page(erin, f"/wall?to={world.ivan.id}")
    assert f'value="person-{world.ivan.id}" checked' in html


def test_the_not_thanked_panel_is_only_the_managers(world, cached_app):
    iris, ivan = reader(cached_app, world.iris), reader(cached_app, world.ivan)
    assert "Not thanked in a while" in page(iris)
    assert "Not thanked in a while" not in page(ivan)


def test_many_readers_do_not_push_out_what_all_readers_share(world, build_app, monkeypatch):
    # A small shared cache: what is kept per reader must not take its room.
    crowded = build_app(
        LIST_CACHE_SECONDS=30,
        DIRECTORY_CACHE_SECONDS=10,
        CACHE_THRESHOLD=12,
        READER_CACHE_ENTRIES=5,
    )
    with crowded.app_context():
        post(world, message="For the crowd")
        drawn = []
        draw = feed_cache._draw
        monkeypatch.setattr(feed_cache, "_draw", lambda *args: drawn.append(args[1]) or draw(*args))
        # Cards are kept per minute (their "5 min ago"): one minute for the whole crowd, or a
        # slow run that crosses a minute's turn draws the card again, rightly.
        minute = time.time()
        monkeypatch.setattr(feed_cache, "time", SimpleNamespace(time=lambda: minute))
        crowd = [factories.make_user(department_id=world.sales.id) for _ in range(25)]
        for person in crowd:
            assert "For the crowd" in page(reader(crowded, person))
        assert len(drawn) == 1  # the card was drawn once, for all 25 readers
        assert len(cache.cache._cache) <= 12


def test_next_pages_neither_repeat_nor_skip_while_others_post(world, cached_app):
    posts = [post(world, message=f"Post {n}") for n in range(45)]
    hugo = reader(cached_app, world.hugo)
    first = page(hugo)
    shown = feed_ids(first)
    cursor = re.search(r"before=(\d+)", first).group(1)
    post(world, message="Posted meanwhile")  # moves the stamp between pages
    while cursor:
        fragment = page(hugo, f"/wall?before={cursor}", **HX)
        assert "<html" not in fragment
        shown += card_ids(fragment)
        found = re.search(r"before=(\d+)", fragment)
        cursor = found.group(1) if found else None
    assert shown == [p.id for p in reversed(posts)]


def test_the_stamp_moves_with_every_kind_of_write(world, cached_app):
    def version():
        return stamps.read([feed_cache.WALL])

    before = version()
    thanks = post(world)
    after_post = version()
    assert after_post != before

    db.session.execute(update(Recognition).values(addon_count=0))  # a bulk ORM statement
    db.session.commit()
    after_bulk = version()
    assert after_bulk != after_post

    reactions = stamps.read([feed_cache.REACTIONS])
    wall_reactions.toggle_reaction(world.ivan, thanks, "heart")  # reactions have their own stamp
    assert version() == after_bulk
    assert stamps.read([feed_cache.REACTIONS]) != reactions

    feed_cache.bump(db.session)  # Core writers (bench data) move it themselves
    db.session.commit()
    assert version() != after_bulk

    unchanged = version()
    db.session.add(
        Recognition(
            author_id=world.erin.id, value_id=world.own_it.id, message="x", message_html="x"
        )
    )
    db.session.flush()
    db.session.rollback()  # a rolled-back change leaves the stamp as it was
    assert version() == unchanged
