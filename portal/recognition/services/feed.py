"""Reading the wall: filters, pages of the feed (keyset by id) and the cards they show,
and the thanks other pages include (a person's, a department's, the latest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    bindparam,
    false,
    or_,
    select,
    true,
)

from portal.core import policy
from portal.core.errors import NotFound
from portal.database import read
from portal.extensions import db
from portal.models import (
    CompanyValue,
    Department,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
)
from portal.recognition.services.cards import (
    Card,
    CardBatch,
    DepartmentRef,
)
from portal.recognition.services.reactions import reactions_on
from portal.recognition.services.visibility import (
    EMPLOYEE_SEES,
    can_edit,
    employee_params,
    visible_posts,
)

PAGE_SIZE = 20


@dataclass
class WallFilter:
    department: Department | DepartmentRef | None = None
    value: CompanyValue | None = None
    person: User | None = None
    mentions_me: bool = False

    @property
    def active(self) -> bool:
        return bool(self.department or self.value or self.person or self.mentions_me)

    def args(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.department:
            out["department"] = self.department.slug
        if self.value:
            out["value"] = str(self.value.id)
        if self.person:
            out["person"] = str(self.person.id)
        if self.mentions_me:
            out["mentions"] = "me"
        return out


_ACTIVE_DEPARTMENTS = (  # built once
    select(Department.id, Department.slug, Department.name)
    .where(Department.active)
    .order_by(Department.name)
)


def active_departments() -> dict[str, DepartmentRef]:
    """Every active department by slug, in name order (the filter's choices)."""
    return {row.slug: DepartmentRef(*row) for row in read(_ACTIVE_DEPARTMENTS)}


def department_ref(slug: str) -> DepartmentRef | None:
    """An active department by its slug, or None."""
    if not slug or not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug):
        return None
    row = db.session.execute(
        select(Department.id, Department.slug, Department.name).where(
            Department.slug == slug, Department.active
        )
    ).first()
    return DepartmentRef(*row) if row else None


def department_by_slug(slug: str) -> Department:
    """An active department by its slug; NotFound otherwise."""
    ref = department_ref(slug[:64]) if "\x00" not in slug else None
    if ref is None:
        raise NotFound(slug)
    return db.session.get(Department, ref.id)


def wall_filter(
    *,
    department: DepartmentRef | None = None,
    value_id: int | None = None,
    person_id: int | None = None,
    mentions_me: bool = False,
) -> WallFilter:
    """A filter from parsed ids; ids of nothing are ignored, never an error."""
    return WallFilter(
        department=department,
        value=db.session.get(CompanyValue, value_id) if value_id else None,
        person=db.session.get(User, person_id) if person_id else None,
        mentions_me=mentions_me,
    )


@dataclass
class FeedPage:
    cards: list[Card]
    next_cursor: int | None


class _FeedShape(NamedTuple):
    """Which filters a page of the wall applies (each named as its parameter in
    `_feed_params`): one statement for each shape."""

    department_id: bool
    value_id: bool
    person_id: bool
    mentioned_id: bool
    before: bool


def _feed_query(visible, shape: _FeedShape):
    """The ids of a page of posts under `visible`, each filter's value a bound parameter
    (`_feed_params`)."""
    query = select(Recognition.id).where(visible)
    if shape.department_id:
        query = query.where(
            Recognition.id.in_(
                select(RecognitionDepartment.recognition_id).where(
                    RecognitionDepartment.department_id == bindparam("department_id")
                )
            )
        )
    if shape.value_id:
        query = query.where(Recognition.value_id == bindparam("value_id"))
    if shape.person_id:
        query = query.where(
            or_(
                Recognition.author_id == bindparam("person_id"),
                Recognition.id.in_(
                    select(RecognitionRecipient.recognition_id).where(
                        RecognitionRecipient.user_id == bindparam("person_id")
                    )
                ),
            )
        )
    if shape.mentioned_id:
        query = query.where(
            Recognition.id.in_(
                select(RecognitionMention.recognition_id).where(
                    RecognitionMention.user_id == bindparam("mentioned_id")
                )
            )
        )
    if shape.before:
        query = query.where(Recognition.id < bindparam("before"))
    return query.order_by(Recognition.id.desc()).limit(bindparam("limit"))


@cache
def _employee_feed(shape: _FeedShape):
    """An employee's page of the wall in this shape: built once."""
    return _feed_query(EMPLOYEE_SEES, shape)


def _feed_params(viewer: User, wall_filter: WallFilter, before: int | None) -> dict:
    """The filters' values by their parameters' names: which names are there is the
    page's `_FeedShape`."""
    params: dict[str, object] = {}
    if wall_filter.department is not None:
        params["department_id"] = wall_filter.department.id
    if wall_filter.value is not None:
        params["value_id"] = wall_filter.value.id
    if wall_filter.person is not None:
        params["person_id"] = wall_filter.person.id
    if wall_filter.mentions_me:
        params["mentioned_id"] = viewer.id
    if before is not None:
        params["before"] = before
    return params


def feed_ids(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[int], int | None]:
    """Newest first; `before` is the keyset cursor (the last id already shown). Returns
    the ids of the page's posts and the cursor of the next page (None on the last)."""
    params = _feed_params(viewer, wall_filter or WallFilter(), before)
    shape = _FeedShape(*(name in params for name in _FeedShape._fields))
    params["limit"] = limit + 1
    if policy.is_guest(viewer):
        query = _feed_query(visible_posts(viewer), shape)
    else:
        query = _employee_feed(shape)
        params.update(employee_params(viewer))
    ids = list(read(query, params).scalars())
    more = len(ids) > limit
    ids = ids[:limit]
    return ids, (ids[-1] if more and ids else None)


_POSTS_BY_IDS = select(Recognition).where(Recognition.id.in_(bindparam("ids", expanding=True)))


def posts_by_ids(ids: list[int]) -> list[Recognition]:
    """These posts, in the order of `ids` (those that no longer exist left out)."""
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(_POSTS_BY_IDS, {"ids": ids})}
    return [found[i] for i in ids if i in found]


def feed_posts(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[Recognition], int | None]:
    ids, cursor = feed_ids(viewer, wall_filter, before, limit)
    return posts_by_ids(ids), cursor


def feed_page(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> FeedPage:
    posts, cursor = feed_posts(viewer, wall_filter, before, limit)
    return FeedPage(cards(viewer, posts), cursor)


def cards(viewer: User, posts: list[Recognition], addons_per_post: int = 3) -> list[Card]:
    """Everything a post's card shows, in a fixed number of queries for the whole page:
    the reactions now (they are the viewer's own), the rest when first read. (A card's
    body alone is drawn from `cards.faces_by_ids`.)"""
    if not posts:
        return []
    reactions = reactions_on(viewer, [p.id for p in posts])
    batch = CardBatch(viewer.id, posts, addons_per_post)
    now = datetime.now(UTC)
    return [
        Card(
            post=post,
            reactions=reactions.get(post.id, []),
            can_edit=can_edit(viewer, post, now),
            can_delete=post.author_id == viewer.id,
            _batch=batch,
        )
        for post in posts
    ]


def visible_cards(viewer: User, ids: list[int]) -> list[Card]:
    """The cards (reactions only: no add-ons) of those of these posts the viewer may see."""
    posts = db.session.scalars(
        select(Recognition)
        .where(Recognition.id.in_(ids), visible_posts(viewer))
        .order_by(Recognition.id.desc())
    )
    return cards(viewer, list(posts), addons_per_post=0)


def card(viewer: User, post: Recognition) -> Card:
    return cards(viewer, [post], addons_per_post=0)[0]


def received_by_person(viewer: User, person: User, limit: int = 5) -> list[Card]:
    """Thanks a person received, newest first, without those they hid from their profile."""
    query = (
        select(Recognition)
        .where(
            visible_posts(viewer),
            Recognition.id.in_(
                select(RecognitionRecipient.recognition_id).where(
                    RecognitionRecipient.user_id == person.id,
                    RecognitionRecipient.hidden_from_profile.is_(false()),
                )
            ),
        )
        .order_by(Recognition.id.desc())
        .limit(limit)
    )
    return cards(viewer, list(db.session.scalars(query)), addons_per_post=0)


def received_by_department(viewer: User, department: Department, limit: int = 5) -> list[Card]:
    query = (
        select(Recognition)
        .where(
            visible_posts(viewer),
            Recognition.id.in_(
                select(RecognitionDepartment.recognition_id).where(
                    RecognitionDepartment.department_id == department.id,
                    RecognitionDepartment.received.is_(true()),
                )
            ),
        )
        .order_by(Recognition.id.desc())
        .limit(limit)
    )
    return cards(viewer, list(db.session.scalars(query)), addons_per_post=0)


def _newest(visible):
    newest_first = Recognition.id.desc()
    return select(Recognition.id).where(visible).order_by(newest_first).limit(bindparam("limit"))


_EMPLOYEE_NEWEST = _newest(EMPLOYEE_SEES)  # built once: the home page shows the newest


def recent_thanks_ids(viewer: User, limit: int = 3) -> list[int]:
    """The newest posts the viewer may see, newest first (the home page's)."""
    if policy.is_guest(viewer):
        return list(read(_newest(visible_posts(viewer)), {"limit": limit}).scalars())
    params = {**employee_params(viewer), "limit": limit}
    return list(read(_EMPLOYEE_NEWEST, params).scalars())


def partner_thanks(viewer: User, before: int | None = None) -> FeedPage:
    """A guest's part of the wall (/partners/thanks): the thanks addressed to them or to
    another guest of their organisation (`visible_posts` says which), newest first.
    Employees have the wall: NotFound for them."""
    if not policy.is_guest(viewer):
        raise NotFound("guests only")
    return feed_page(viewer, before=before)
