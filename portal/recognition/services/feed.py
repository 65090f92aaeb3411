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
from sqlalchemy.orm.attributes import set_committed_value

from portal.core import policy
from portal.core.errors import NotFound
from portal.database import read
from portal.extensions import db
from portal.models import (
    AddOn,
    CompanyValue,
    Department,
    Guest,
    ReactionKind,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    User,
)
from portal.recognition.services.reactions import reactions_on
from portal.recognition.services.visibility import (
    EMPLOYEE_SEES,
    can_edit,
    employee_params,
    visible_posts,
)

PAGE_SIZE = 20


class DepartmentRef(NamedTuple):
    """What a filter needs of a department (wall.html's options unpack the three, in this
    order)."""

    id: int
    slug: str
    name: str


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


class PersonRef(NamedTuple):
    """What a card shows of a person (and the API of them)."""

    id: int
    name: str
    email: str


class ValueRef(NamedTuple):
    """What a card shows of a company value."""

    id: int
    name: str
    colour: str
    emoji: str


class RecipientLine(NamedTuple):
    """One recipient of a post: a person or a team, as read for a page of cards."""

    user_id: int | None
    person: PersonRef | None
    department: DepartmentRef | None
    hidden_from_profile: bool


class AddOnLine(NamedTuple):
    """An add-on as a card and a post's page draw it."""

    id: int
    author: PersonRef
    message: str
    created_at: datetime


@dataclass
class Card:
    """What a post's card shows. Recipients, add-ons, author and value are loaded for the
    whole page at the first read of any of them (`_CardBatch`), so a page whose cards come
    from the cache reads only the reactions, which are the viewer's own."""

    post: Recognition
    reactions: list[tuple[ReactionKind, int, bool]]
    can_edit: bool
    can_delete: bool
    _batch: _CardBatch

    def _rows(self) -> list[RecipientLine]:
        return self._batch.load().recipients.get(self.post.id, [])

    @property
    def author(self) -> PersonRef | None:
        """The post's author (id, name, e-mail), read with the page's batch: not one by one."""
        return self._batch.load().authors.get(self.post.author_id)

    @property
    def value(self) -> ValueRef | None:
        return self._batch.load().values.get(self.post.value_id)

    @property
    def people(self) -> list[PersonRef]:
        return [r.person for r in self._rows() if r.person is not None]

    @property
    def departments(self) -> list[DepartmentRef]:
        return [r.department for r in self._rows() if r.department is not None]

    @property
    def addons(self) -> list[AddOnLine]:
        found = self._batch.load().addons.get(self.post.id, [])
        keep = self._batch.addons_per_post
        return found[-keep:] if keep else found

    def partner_of(self, person: PersonRef) -> str | None:
        """The organisation a guest among the card's people represents ("Partner: …"),
        read with the page's batch; None for employees."""
        return self._batch.load().organisations.get(person.id)

    @property
    def is_recipient(self) -> bool:
        return any(r.user_id == self._batch.viewer_id for r in self._rows())

    @property
    def hidden_from_profile(self) -> bool:
        return any(
            r.user_id == self._batch.viewer_id and r.hidden_from_profile for r in self._rows()
        )


# A page of cards' shared rows, by the page's ids: built once (the ids are parameters), so
# a page neither builds the five statements again nor works out their cache keys. The
# recipients and add-ons come as plain rows (only what a card draws): no ORM objects for
# them, their people or their teams.
_RECIPIENTS = (
    select(
        RecognitionRecipient.recognition_id,
        RecognitionRecipient.user_id,
        User.name.label("person_name"),
        User.email,
        RecognitionRecipient.department_id,
        Department.slug,
        Department.name.label("department_name"),
        RecognitionRecipient.hidden_from_profile,
    )
    .outerjoin(User, User.id == RecognitionRecipient.user_id)
    .outerjoin(Department, Department.id == RecognitionRecipient.department_id)
    .where(RecognitionRecipient.recognition_id.in_(bindparam("ids", expanding=True)))
    .order_by(RecognitionRecipient.id)
)
_ADDONS = (
    select(
        AddOn.recognition_id,
        AddOn.id,
        AddOn.author_id,
        User.name,
        User.email,
        AddOn.message,
        AddOn.created_at,
    )
    .join(User, User.id == AddOn.author_id)
    .where(AddOn.recognition_id.in_(bindparam("ids", expanding=True)))
    .order_by(AddOn.recognition_id, AddOn.id)
)
_AUTHORS = select(User.id, User.name, User.email).where(  # the API names them by e-mail too
    User.id.in_(bindparam("ids", expanding=True))
)
_VALUES = select(
    CompanyValue.id, CompanyValue.name, CompanyValue.colour, CompanyValue.emoji
).where(CompanyValue.id.in_(bindparam("ids", expanding=True)))
_ORGANISATIONS = select(Guest.user_id, Guest.organisation).where(
    Guest.user_id.in_(bindparam("ids", expanding=True))
)


class _CardBatch:
    """The rows a page of cards shares, read in five queries the first time one is needed
    (the fifth: which of the page's people are partners, and of which organisation)."""

    def __init__(self, viewer_id: int, posts: list[Recognition], addons_per_post: int):
        self.viewer_id = viewer_id
        self.posts = posts
        self.addons_per_post = addons_per_post
        self.loaded = False
        self.recipients: dict[int, list[RecipientLine]] = {}
        self.addons: dict[int, list[AddOnLine]] = {}
        self.organisations: dict[int, str] = {}
        self.authors: dict[int, PersonRef] = {}
        self.values: dict[int, ValueRef] = {}

    def load(self) -> _CardBatch:
        if self.loaded:
            return self
        self.loaded = True
        posts = self.posts
        ids = [p.id for p in posts]
        for row in read(_RECIPIENTS, {"ids": ids}):
            user_id, department_id = row.user_id, row.department_id
            self.recipients.setdefault(row.recognition_id, []).append(
                RecipientLine(
                    user_id,
                    PersonRef(user_id, row.person_name, row.email) if user_id else None,
                    (
                        DepartmentRef(department_id, row.slug, row.department_name)
                        if department_id
                        else None
                    ),
                    row.hidden_from_profile,
                )
            )
        with_addons = [p.id for p in posts if p.addon_count]
        if with_addons:
            for row in read(_ADDONS, {"ids": with_addons}):
                self.addons.setdefault(row.recognition_id, []).append(
                    AddOnLine(
                        row.id,
                        PersonRef(row.author_id, row.name, row.email),
                        row.message,
                        row.created_at,
                    )
                )
        # Authors and values as plain rows too: one statement each for the page.
        authors = {
            row[0]: PersonRef(*row)
            for row in read(_AUTHORS, {"ids": sorted({p.author_id for p in posts})})
        }
        self.authors = authors
        self.values = {
            row[0]: ValueRef(*row)
            for row in read(_VALUES, {"ids": sorted({p.value_id for p in posts})})
        }
        people = {r.user_id for rows in self.recipients.values() for r in rows if r.user_id}
        people |= set(authors)
        self.organisations = dict(
            read(_ORGANISATIONS, {"ids": sorted(people)}).all()
        )
        for post in posts:
            if post.request_department_id is None:
                set_committed_value(post, "request_department", None)
        return self


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


def cards(
    viewer: User, posts: list[Recognition], addons_per_post: int = 3, with_reactions: bool = True
) -> list[Card]:
    """Everything a post's card shows, in a fixed number of queries for the whole page:
    the reactions now (they are the viewer's own), the rest when first read.
    `with_reactions=False`: no reactions read (the card's body alone is drawn: the page
    draws the reader's reactions around it)."""
    if not posts:
        return []
    reactions = reactions_on(viewer, [p.id for p in posts]) if with_reactions else {}
    batch = _CardBatch(viewer.id, posts, addons_per_post)
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
    return select(Recognition).where(visible).order_by(newest_first).limit(bindparam("limit"))


_EMPLOYEE_NEWEST = _newest(EMPLOYEE_SEES)  # built once: the home page shows the newest


def recent_thanks(viewer: User, limit: int = 3) -> list[Card]:
    if policy.is_guest(viewer):
        posts = db.session.scalars(_newest(visible_posts(viewer)), {"limit": limit})
    else:
        posts = db.session.scalars(_EMPLOYEE_NEWEST, {**employee_params(viewer), "limit": limit})
    return cards(viewer, list(posts), addons_per_post=0)


def partner_thanks(viewer: User, before: int | None = None) -> FeedPage:
    """A guest's part of the wall (/partners/thanks): the thanks addressed to them or to
    another guest of their organisation (`visible_posts` says which), newest first.
    Employees have the wall: NotFound for them."""
    if not policy.is_guest(viewer):
        raise NotFound("guests only")
    return feed_page(viewer, before=before)
