"""What a post's card shows, read for a whole page of cards at once: its people, teams,
value, add-ons and partners as plain rows (`CardBatch`), the `Card` pages hold and the
`CardFace` a card's body is drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Row
from sqlalchemy.orm.attributes import set_committed_value

from portal.database import read
from portal.models import (
    AddOn,
    CompanyValue,
    Department,
    Guest,
    ReactionKind,
    Recognition,
    RecognitionRecipient,
    User,
    Visibility,
)


class DepartmentRef(NamedTuple):
    """What a filter needs of a department (wall.html's options unpack the three, in this
    order)."""

    id: int
    slug: str
    name: str


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
    whole page at the first read of any of them (`CardBatch`), so a page whose cards come
    from the cache reads only the reactions, which are the viewer's own."""

    post: Recognition
    reactions: list[tuple[ReactionKind, int, bool]]
    can_edit: bool
    can_delete: bool
    _batch: CardBatch

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
        return self._batch.load().addons_of(self.post.id)

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


class CardFace(NamedTuple):
    """What a card's body draws (the same for every reader who may see the post), as plain
    values: recipients as (is a person, id or slug, name, partner organisation), people
    first, in the order they were named."""

    id: int
    author: PersonRef | None
    recipients: list[tuple[bool, int | str, str, str | None]]
    value: ValueRef | None
    department_only: bool
    request_department: str | None
    created_at: datetime
    edited: bool
    message_html: str
    addon_count: int
    addons: list[AddOnLine]


def face_of(card: Card) -> CardFace:
    """The body of a card already read (a post's page, a profile)."""
    post = card.post
    department = post.request_department if post.request_department_id else None
    return card._batch.face(post, department.name if department else None)


# A page of card bodies: the posts' own columns only, and the name of the department a
# post thanks for a request to (no objects: the body only draws them).
_POST_FACES = (
    select(
        Recognition.id,
        Recognition.author_id,
        Recognition.value_id,
        Recognition.visibility,
        Recognition.created_at,
        Recognition.edited_at,
        Recognition.message_html,
        Recognition.addon_count,
        Department.name.label("request_department"),
    )
    .outerjoin(Department, Department.id == Recognition.request_department_id)
    .where(Recognition.id.in_(bindparam("ids", expanding=True)))
)


def faces_by_ids(viewer: User, ids: list[int], addons_per_post: int = 3) -> list[CardFace]:
    """The card bodies of these posts, in the order of `ids` (those that no longer exist
    left out). Who may see them is the caller's: these ids came from a visible page."""
    if not ids:
        return []
    found = {row.id: row for row in read(_POST_FACES, {"ids": ids})}
    posts = [found[i] for i in ids if i in found]
    batch = CardBatch(viewer.id, posts, addons_per_post)
    return [batch.face(post, post.request_department) for post in posts]


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


class CardBatch:
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

    def load(self) -> CardBatch:
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
            if isinstance(post, Recognition) and post.request_department_id is None:
                set_committed_value(post, "request_department", None)
        return self

    def face(self, post: Recognition | Row, request_department: str | None) -> CardFace:
        """What `post`'s card body draws, from the page's rows (`post`: the object or a
        row of `_POST_FACES`)."""
        self.load()
        lines = self.recipients.get(post.id, [])
        organisations = self.organisations
        recipients = [
            (True, r.person.id, r.person.name, organisations.get(r.person.id))
            for r in lines
            if r.person is not None
        ]
        recipients += [
            (False, r.department.slug, r.department.name, None)
            for r in lines
            if r.department is not None
        ]
        return CardFace(
            post.id,
            self.authors.get(post.author_id),
            recipients,
            self.values.get(post.value_id),
            post.visibility == Visibility.DEPARTMENT,
            request_department,
            post.created_at,
            post.edited_at is not None,
            post.message_html,
            post.addon_count,
            self.addons_of(post.id),
        )

    def addons_of(self, post_id: int) -> list[AddOnLine]:
        """A post's add-ons a card shows: the last `addons_per_post` (0: every one)."""
        found = self.addons.get(post_id, [])
        keep = self.addons_per_post
        return found[-keep:] if keep else found


