"""The recognition wall's rules: who may see, post, change and moderate what.

Views call these; nothing here reads flask.request. Every read of a post goes through
`visible_posts()` (a SQL condition) or `get_visible()`, so a department-only post is
never shown to anyone outside its audience — in the feed, a filter, a fragment, a
profile or a department page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import (
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    text,
    true,
    union,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal import audit
from portal.core.errors import NotFound, Refused  # noqa: F401  (one of each, app-wide)
from portal.database import write_transaction
from portal.extensions import db
from portal.models import (
    AddOn,
    CompanyValue,
    Department,
    Membership,
    MembershipRole,
    Reaction,
    ReactionKind,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    Report,
    RequestStatus,
    ServiceRequest,
    Spotlight,
    User,
    Visibility,
)
from portal.notify.outbox import enqueue_email, notify_user
from portal.recognition import markup

PAGE_SIZE = 20
MAX_RECIPIENTS = 10
MAX_ADDON = 280
MAX_REASON = 500
EDIT_WINDOW = timedelta(minutes=15)
SPOTLIGHT_DAYS = 30
SPOTLIGHT_RECENT = timedelta(days=14)
NOT_THANKED_DAYS = 60
TEAM_LIMIT = 500
MONTH_CACHE_SECONDS = 60
DEPARTMENT_NOTICE_LIMIT = 200
PALETTE = ["blue", "teal", "green", "amber", "red", "purple", "pink", "slate", "indigo", "orange"]


WallError = Refused




def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def post_path(post: Recognition) -> str:
    """The post's page: a local path, as notifications and e-mails need."""
    return f"/wall/{post.id}"


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0].lower()


# Who sees what --------------------------------------------------------------------------


def viewer_department_ids(user: User) -> list[int]:
    """The departments a person belongs to: their own and those they serve in."""
    ids = set(
        db.session.scalars(select(Membership.department_id).where(Membership.user_id == user.id))
    )
    if user.department_id:
        ids.add(user.department_id)
    return sorted(ids)


def visible_posts(viewer: User, department_ids: list[int] | None = None):
    """SQL condition on Recognition: what this viewer may see on the wall. Hidden posts
    are for portal admins (on the moderation screen) only."""
    if department_ids is None:
        department_ids = viewer_department_ids(viewer)
    audience = (
        exists().where(
            RecognitionDepartment.recognition_id == Recognition.id,
            RecognitionDepartment.received.is_(true()),
            RecognitionDepartment.department_id.in_(department_ids),
            # Only department-only posts need this test (public ones pass above). Said
            # inside, it also keeps PostgreSQL from hashing every post of the reader's
            # departments (10,000 rows, 20 ms) before the first page's 20.
            Recognition.visibility != Visibility.PUBLIC,
        )
        if department_ids
        else false()
    )
    named = exists().where(
        RecognitionRecipient.recognition_id == Recognition.id,
        RecognitionRecipient.user_id == viewer.id,
    )
    return and_(
        Recognition.hidden_at.is_(None),
        or_(
            Recognition.visibility == Visibility.PUBLIC,
            Recognition.author_id == viewer.id,
            audience,
            named,
        ),
    )


def can_view(viewer: User, post: Recognition) -> bool:
    """One post by id. Portal admins may open any post (they moderate reports, and a
    report links to its post); feeds, filters and profiles use `visible_posts`, which
    does not widen for them."""
    if viewer.is_admin:
        return True
    if post.hidden_at is not None:
        return False
    if post.visibility == Visibility.PUBLIC or post.author_id == viewer.id:
        return True
    if any(r.user_id == viewer.id for r in post.recipients):
        return True
    mine = set(viewer_department_ids(viewer))
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    RecognitionDepartment.recognition_id == post.id,
                    RecognitionDepartment.received.is_(true()),
                    RecognitionDepartment.department_id.in_(mine or [-1]),
                )
            )
        )
    )


def get_visible(viewer: User, post_id: int) -> Recognition:
    post = db.session.get(Recognition, post_id)
    if post is None or not can_view(viewer, post):
        raise NotFound(post_id)
    return post


def can_edit(viewer: User, post: Recognition, now: datetime | None = None) -> bool:
    return post.author_id == viewer.id and _now(now) - _aware(post.created_at) <= EDIT_WINDOW


def can_delete(viewer: User, post: Recognition) -> bool:
    return post.author_id == viewer.id


# Values ---------------------------------------------------------------------------------


def active_values() -> list[CompanyValue]:
    return list(
        db.session.scalars(
            select(CompanyValue)
            .where(CompanyValue.retired_at.is_(None))
            .order_by(CompanyValue.position, CompanyValue.name)
        )
    )


@dataclass(frozen=True)
class ValueChoice:
    """A value as the thank-you form offers it (plain data: it can be cached)."""

    id: int
    name: str
    description: str
    emoji: str
    colour: str


def value_choices() -> list[ValueChoice]:
    return [ValueChoice(v.id, v.name, v.description, v.emoji, v.colour) for v in active_values()]


def all_values() -> list[CompanyValue]:
    return list(
        db.session.scalars(
            select(CompanyValue).order_by(
                CompanyValue.retired_at.is_not(None), CompanyValue.position, CompanyValue.name
            )
        )
    )


def _require_admin(user: User) -> None:
    if not user.is_admin:
        raise NotFound("admins only")


def _value_fields(name: str, description: str, emoji: str, colour: str) -> dict:
    name = markup.clean_text(name)[:60]
    if not name:
        raise WallError("Enter the value's name", "name")
    if colour not in PALETTE:
        raise WallError("Choose one of the colours listed", "colour")
    return {
        "name": name,
        "description": markup.clean_text(description)[:300],
        "emoji": markup.clean_text(emoji)[:16],
        "colour": colour,
    }


def _name_taken(name: str, other_id: int | None = None) -> bool:
    query = select(CompanyValue.id).where(func.lower(CompanyValue.name) == name.lower())
    if other_id is not None:
        query = query.where(CompanyValue.id != other_id)
    return db.session.scalar(query) is not None


def add_value(
    admin: User, *, name: str, description: str = "", emoji: str = "", colour: str = "slate"
) -> CompanyValue:
    _require_admin(admin)
    fields = _value_fields(name, description, emoji, colour)
    with write_transaction():
        if _name_taken(fields["name"]):
            raise WallError("There is already a value with that name", "name")
        position = (db.session.scalar(select(func.max(CompanyValue.position))) or 0) + 1
        value = CompanyValue(position=position, **fields)
        db.session.add(value)
        db.session.flush()
        audit.record(admin, "value.add", value, changes=audit.diff({}, fields))
    return value


def edit_value(
    admin: User, value: CompanyValue, *, name: str, description: str, emoji: str, colour: str
) -> CompanyValue:
    _require_admin(admin)
    fields = _value_fields(name, description, emoji, colour)
    with write_transaction():
        if _name_taken(fields["name"], value.id):
            raise WallError("There is already a value with that name", "name")
        before = audit.snapshot(value, list(fields))
        for key, item in fields.items():
            setattr(value, key, item)
        audit.record(admin, "value.edit", value, changes=audit.diff(before, fields))
    return value


def set_value_retired(
    admin: User, value: CompanyValue, retired: bool, now: datetime | None = None
) -> CompanyValue:
    _require_admin(admin)
    with write_transaction():
        before = {"retired": value.retired_at is not None}
        value.retired_at = _now(now) if retired else None
        audit.record(
            admin,
            "value.retire" if retired else "value.restore",
            value,
            changes=audit.diff(before, {"retired": retired}),
        )
    return value


# Posting --------------------------------------------------------------------------------


@dataclass
class Recipients:
    people: list[User] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.people and not self.departments


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _person_by_handle(handle: str) -> list[User]:
    handle = handle.lower().lstrip("@")
    if "@" in handle:  # a whole e-mail address
        return list(db.session.scalars(select(User).where(func.lower(User.email) == handle)))
    return list(
        db.session.scalars(
            select(User)
            .where(func.lower(User.email).like(f"{_like_literal(handle)}@%", escape="\\"))
            .limit(3)
        )
    )


def _department_by_name(text: str) -> Department | None:
    lowered = text.lower()
    return db.session.scalar(
        select(Department).where(
            Department.active,
            or_(func.lower(Department.name) == lowered, Department.slug == lowered),
        )
    )


def resolve_recipients(author: User, typed: str) -> Recipients:
    """'@ivan, IT, amara.okafor@example.com' → people and departments. Each entry is a
    colleague's @handle (their e-mail address before the @) or e-mail address, or a
    department's name."""
    entries = [markup.clean_text(e) for e in typed.replace(";", ",").split(",")]
    entries = [e for e in entries if e]
    if not entries:
        raise WallError(
            "Enter who you are thanking: a colleague's @handle or a team's name", "recipients"
        )
    if len(entries) > MAX_RECIPIENTS:
        raise WallError(f"Thank at most {MAX_RECIPIENTS} people or teams in one post", "recipients")
    found = Recipients()
    for entry in entries:
        entry = entry[:254]
        looks_like_person = entry.startswith("@") or "@" in entry
        department = None if entry.startswith("@") else _department_by_name(entry)
        if department is not None and not looks_like_person:
            if department not in found.departments:
                found.departments.append(department)
            continue
        people = _person_by_handle(entry.lstrip("@")) if entry.strip("@") else []
        if len(people) > 1:
            raise WallError(
                f"More than one person matches “{entry}”: use their full e-mail address",
                "recipients",
            )
        if not people:
            raise WallError(
                f"We could not find “{entry}”. Use a colleague's @handle (their e-mail address "
                "before the @) or a team's name",
                "recipients",
            )
        person = people[0]
        if not person.active:
            raise WallError(
                f"{person.name} has left: thank someone who is still here", "recipients"
            )
        if person.id == author.id:
            raise WallError(
                "You cannot recognise yourself — thank a colleague or a team", "recipients"
            )
        if person not in found.people:
            found.people.append(person)
    return found


def _resolve_mentions(text: str) -> dict[str, User]:
    mentions: dict[str, User] = {}
    for handle in markup.mention_handles(text):
        people = _person_by_handle(handle)
        if len(people) != 1 or not people[0].active:
            raise WallError(
                f"We could not find @{handle} among current colleagues: "
                "check the handle, or remove the @",
                "message",
            )
        mentions[handle] = people[0]
    return mentions


def _clean_message(text: str) -> str:
    cleaned = markup.clean_text(text or "")
    if not cleaned:
        raise WallError("Enter a message saying what they did and why it mattered", "message")
    if len(cleaned) > markup.MAX_MESSAGE:
        raise WallError(
            f"Keep the message to {markup.MAX_MESSAGE:,} characters or fewer "
            f"(it has {len(cleaned):,})",
            "message",
        )
    return cleaned


def _render(text: str, mentions: dict[str, User]) -> str:
    return markup.render_message(
        text,
        {h: (u.name, f"/people/{u.id}") for h, u in mentions.items()},
    )


def _value_or_error(value_id: int | None, allow: CompanyValue | None = None) -> CompanyValue:
    value = db.session.get(CompanyValue, value_id) if value_id else None
    if value is None or (value.retired_at is not None and value is not allow):
        raise WallError("Choose the company value this thanks is about", "value")
    return value


def thankable_request(viewer: User, key: str | None) -> ServiceRequest | None:
    """A resolved (or closed) request the viewer asked for: the one "Thank the team" links to."""
    if not key or len(key) > 24 or not key.isascii() or "\x00" in key:
        return None
    sr = db.session.scalar(select(ServiceRequest).where(ServiceRequest.key == key))
    if sr is None or sr.requester_id != viewer.id:
        return None
    if sr.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        return None
    return sr


def _touch_departments(post: Recognition, author: User, recipients: Recipients) -> None:
    rows: dict[int, RecognitionDepartment] = {}
    if author.department_id:
        rows[author.department_id] = RecognitionDepartment(
            recognition_id=post.id, department_id=author.department_id, given=True, received=False
        )
    received = [d.id for d in recipients.departments]
    for person in recipients.people:
        received += viewer_department_ids(person)  # their own and those they serve in
    for department_id in received:
        row = rows.get(department_id) or RecognitionDepartment(
            recognition_id=post.id, department_id=department_id, given=False, received=False
        )
        row.received = True
        rows[department_id] = row
    db.session.add_all(rows.values())


def _notify_recipients(
    post: Recognition, author: User, recipients: Recipients, mentions: dict[str, User]
) -> None:
    link = post_path(post)
    value = post.value.name
    told: set[int] = {author.id}
    for person in recipients.people:
        told.add(person.id)
        notify_user(person, "wall.recognised", f"{author.name} thanked you for “{value}”", link)
        enqueue_email(
            person.email,
            f"{author.name} thanked you on the wall",
            f"{author.name} thanked you for “{value}”:\n\n{post.message}\n\n"
            f"See it on the wall: {current_app.config['PORTAL_URL']}{link}\n",
            topic="wall.recognised",
        )
    for department in recipients.departments:
        members = db.session.scalars(
            select(User)
            .where(
                User.active,
                or_(
                    User.department_id == department.id,
                    User.id.in_(
                        select(Membership.user_id).where(Membership.department_id == department.id)
                    ),
                ),
            )
            .order_by(User.id)
            .limit(DEPARTMENT_NOTICE_LIMIT)
        )
        for person in members:
            if person.id not in told:
                told.add(person.id)
                notify_user(
                    person,
                    "wall.recognised",
                    f"{author.name} thanked {department.name} for “{value}”",
                    link,
                )
    for person in mentions.values():
        if person.id not in told:
            told.add(person.id)
            notify_user(person, "wall.mentioned", f"{author.name} mentioned you in a thanks", link)


def post_recognition(
    author: User,
    *,
    recipients: str,
    value_id: int | None,
    message: str,
    visibility: str = "public",
    request_key: str | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Recognition:
    """Post a thanks. Raises WallError (with the field) for anything the author must fix."""
    found = resolve_recipients(author, recipients or "")
    value = _value_or_error(value_id)
    text = _clean_message(message)
    mentions = _resolve_mentions(text)
    try:
        chosen = Visibility(visibility)
    except ValueError:
        raise WallError("Choose who can see this post", "visibility") from None
    sr = thankable_request(author, request_key) if request_key else None
    if request_key and sr is None:
        raise WallError("That request cannot be thanked from here", "recipients")
    created = _now(now)
    with write_transaction():
        post = Recognition(
            author_id=author.id,
            value_id=value.id,
            message=text,
            message_html=_render(text, mentions),
            visibility=chosen,
            request_id=sr.id if sr else None,
            request_department_id=sr.department_id if sr else None,
            created_at=created,
        )
        db.session.add(post)
        db.session.flush()
        for person in found.people:
            db.session.add(RecognitionRecipient(recognition_id=post.id, user_id=person.id))
        for department in found.departments:
            db.session.add(
                RecognitionRecipient(recognition_id=post.id, department_id=department.id)
            )
        for handle, person in mentions.items():
            db.session.add(
                RecognitionMention(recognition_id=post.id, user_id=person.id, handle=handle)
            )
        _touch_departments(post, author, found)
        if notify:
            _notify_recipients(post, author, found, mentions)
    return post


def edit_recognition(
    viewer: User,
    post: Recognition,
    *,
    value_id: int | None,
    message: str,
    now: datetime | None = None,
) -> Recognition:
    if not can_view(viewer, post) or post.author_id != viewer.id:
        raise NotFound(post.id)
    if not can_edit(viewer, post, now):
        raise WallError(
            "Posts can be edited for 15 minutes after posting; this one can no longer be changed",
            "message",
        )
    value = _value_or_error(value_id, allow=post.value)
    text = _clean_message(message)
    mentions = _resolve_mentions(text)
    with write_transaction():
        post.value_id = value.id
        post.message = text
        post.message_html = _render(text, mentions)
        post.edited_at = _now(now)
        db.session.execute(
            delete(RecognitionMention).where(RecognitionMention.recognition_id == post.id)
        )
        for handle, person in mentions.items():
            db.session.add(
                RecognitionMention(recognition_id=post.id, user_id=person.id, handle=handle)
            )
    return post


def delete_recognition(viewer: User, post: Recognition) -> None:
    if not can_view(viewer, post) or not can_delete(viewer, post):
        raise NotFound(post.id)
    with write_transaction():
        audit.record(viewer, "recognition.delete", post, label=f"thanks #{post.id}")
        db.session.delete(post)


# Joining in -----------------------------------------------------------------------------


def toggle_reaction(viewer: User, post: Recognition, kind: str) -> bool:
    """Add the viewer's reaction, or take it back. True when it is on afterwards. The
    unique (post, person, kind) constraint decides between parallel toggles."""
    try:
        reaction = ReactionKind(kind)
    except ValueError:
        raise WallError("Choose one of the reactions shown", "kind") from None
    if not can_view(viewer, post):
        raise NotFound(post.id)
    with write_transaction():
        removed = db.session.execute(
            delete(Reaction).where(
                Reaction.recognition_id == post.id,
                Reaction.user_id == viewer.id,
                Reaction.kind == reaction,
            )
        ).rowcount
        if removed:
            return False
        try:
            with db.session.begin_nested():
                db.session.add(Reaction(recognition_id=post.id, user_id=viewer.id, kind=reaction))
        except IntegrityError:
            pass  # a parallel toggle added it first: it is on
        return True


def add_addon(viewer: User, post: Recognition, message: str, now: datetime | None = None) -> AddOn:
    if not can_view(viewer, post):
        raise NotFound(post.id)
    text = markup.clean_text(message or "")
    if not text:
        raise WallError("Enter what you want to add", "message")
    if len(text) > MAX_ADDON:
        raise WallError(
            f"Keep an add-on to {MAX_ADDON} characters or fewer (it has {len(text)})", "message"
        )
    with write_transaction():
        addon = AddOn(
            recognition_id=post.id, author_id=viewer.id, message=text, created_at=_now(now)
        )
        db.session.add(addon)
        db.session.execute(
            update(Recognition)
            .where(Recognition.id == post.id)
            .values(addon_count=Recognition.addon_count + 1)
        )
        link = post_path(post)
        for recipient in post.recipients:
            if recipient.user_id and recipient.user_id != viewer.id:
                notify_user(
                    recipient.user, "wall.addon", f"{viewer.name} added to the thanks for you", link
                )
    return addon


def report_post(viewer: User, post: Recognition, reason: str) -> Report:
    if not can_view(viewer, post):
        raise NotFound(post.id)
    text = markup.clean_text(reason or "")
    if not text:
        raise WallError("Tell the moderators what is wrong with this post", "reason")
    if len(text) > MAX_REASON:
        raise WallError(f"Keep the reason to {MAX_REASON} characters or fewer", "reason")
    with write_transaction():
        report = Report(recognition_id=post.id, reporter_id=viewer.id, reason=text)
        db.session.add(report)
        db.session.flush()
        audit.record(viewer, "recognition.report", post, label=f"thanks #{post.id}", note=text)
    return report


def moderate(
    admin: User, post: Recognition, *, hide: bool, reason: str, now: datetime | None = None
) -> Recognition:
    _require_admin(admin)
    text = markup.clean_text(reason or "")
    if not text:
        raise WallError("Give a reason: it is kept in the audit trail", "reason")
    if len(text) > MAX_REASON:
        raise WallError(f"Keep the reason to {MAX_REASON} characters or fewer", "reason")
    at = _now(now)
    with write_transaction():
        before = {"hidden": post.hidden_at is not None}
        post.hidden_at = at if hide else None
        post.hidden_reason = text if hide else ""
        post.hidden_by_id = admin.id if hide else None
        db.session.execute(
            update(Report)
            .where(Report.recognition_id == post.id, Report.resolved_at.is_(None))
            .values(resolved_at=at, resolved_by_id=admin.id)
        )
        audit.record(
            admin,
            "recognition.hide" if hide else "recognition.restore",
            post,
            label=f"thanks #{post.id}",
            changes=audit.diff(before, {"hidden": hide}),
            note=text,
        )
    return post


def hide_from_profile(viewer: User, post: Recognition, hidden: bool) -> None:
    """A recipient takes a post about them off their own profile (or puts it back)."""
    if not can_view(viewer, post):
        raise NotFound(post.id)
    mine = [r for r in post.recipients if r.user_id == viewer.id]
    if not mine:
        raise NotFound(post.id)
    with write_transaction():
        for recipient in mine:
            recipient.hidden_from_profile = hidden


def open_reports(admin: User) -> list[tuple[Recognition, list[Report]]]:
    _require_admin(admin)
    reports = db.session.scalars(
        select(Report)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.id)
        .options(selectinload(Report.reporter))
    ).all()
    grouped: dict[int, list[Report]] = {}
    for report in reports:
        grouped.setdefault(report.recognition_id, []).append(report)
    posts = {
        p.id: p
        for p in db.session.scalars(select(Recognition).where(Recognition.id.in_(list(grouped))))
    }
    return [(posts[pid], grouped[pid]) for pid in grouped if pid in posts]


def hidden_posts(admin: User, limit: int = 50) -> list[Recognition]:
    _require_admin(admin)
    return list(
        db.session.scalars(
            select(Recognition)
            .where(Recognition.hidden_at.is_not(None))
            .order_by(Recognition.hidden_at.desc())
            .limit(limit)
        )
    )


# Reading the wall -----------------------------------------------------------------------


class DepartmentRef(NamedTuple):
    """What a filter needs of a department."""

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


def parse_filter(args, known_departments: dict[str, DepartmentRef] | None = None) -> WallFilter:
    """Filters from the query string; unknown values are ignored, never an error.
    `known_departments`: departments by slug the caller holds already (read if absent)."""
    wall_filter = WallFilter()
    slug = (args.get("department") or "").strip().lower()[:64]
    if known_departments and slug in known_departments:
        wall_filter.department = known_departments[slug]
    elif slug and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug):
        row = db.session.execute(
            select(Department.id, Department.slug, Department.name).where(Department.slug == slug)
        ).first()
        wall_filter.department = DepartmentRef(*row) if row else None
    value = args.get("value", "")
    if value.isdigit() and len(value) < 10:
        wall_filter.value = db.session.get(CompanyValue, int(value))
    person = args.get("person", "")
    if person.isdigit() and len(person) < 10:
        wall_filter.person = db.session.get(User, int(person))
    wall_filter.mentions_me = args.get("mentions") == "me"
    return wall_filter


def parse_cursor(raw: str | None) -> int | None:
    if raw and raw.isdigit() and len(raw) < 12:
        return int(raw)
    return None


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

    def _rows(self) -> list[RecognitionRecipient]:
        return self._batch.load().recipients.get(self.post.id, [])

    @property
    def people(self) -> list[User]:
        return [r.user for r in self._rows() if r.user is not None]

    @property
    def departments(self) -> list[Department]:
        return [r.department for r in self._rows() if r.department is not None]

    @property
    def addons(self) -> list[AddOn]:
        found = self._batch.load().addons.get(self.post.id, [])
        keep = self._batch.addons_per_post
        return found[-keep:] if keep else found

    @property
    def is_recipient(self) -> bool:
        return any(r.user_id == self._batch.viewer_id for r in self._rows())

    @property
    def hidden_from_profile(self) -> bool:
        return any(
            r.user_id == self._batch.viewer_id and r.hidden_from_profile for r in self._rows()
        )


class _CardBatch:
    """The rows a page of cards shares, read in four queries the first time one is needed."""

    def __init__(self, viewer_id: int, posts: list[Recognition], addons_per_post: int):
        self.viewer_id = viewer_id
        self.posts = posts
        self.addons_per_post = addons_per_post
        self.loaded = False
        self.recipients: dict[int, list[RecognitionRecipient]] = {}
        self.addons: dict[int, list[AddOn]] = {}

    def load(self) -> _CardBatch:
        if self.loaded:
            return self
        self.loaded = True
        posts = self.posts
        ids = [p.id for p in posts]
        for recipient in db.session.scalars(
            select(RecognitionRecipient)
            .where(RecognitionRecipient.recognition_id.in_(ids))
            .order_by(RecognitionRecipient.id)
            .options(
                joinedload(RecognitionRecipient.user).load_only(User.id, User.name),
                joinedload(RecognitionRecipient.department).load_only(
                    Department.id, Department.slug, Department.name
                ),
            )
        ):
            self.recipients.setdefault(recipient.recognition_id, []).append(recipient)
        with_addons = [p.id for p in posts if p.addon_count]
        if with_addons:
            for addon in db.session.scalars(
                select(AddOn)
                .where(AddOn.recognition_id.in_(with_addons))
                .order_by(AddOn.recognition_id, AddOn.id)
                .options(joinedload(AddOn.author).load_only(User.id, User.name))
            ):
                self.addons.setdefault(addon.recognition_id, []).append(addon)
        # Authors and values set on the posts directly: one query each for the page, and
        # the posts hold them (the session only keeps weak references).
        authors = {
            u.id: u
            for u in db.session.scalars(
                select(User)
                .where(User.id.in_({p.author_id for p in posts}))
                .options(load_only(User.id, User.name))
            )
        }
        values = {
            v.id: v
            for v in db.session.scalars(
                select(CompanyValue).where(CompanyValue.id.in_({p.value_id for p in posts}))
            )
        }
        for post in posts:
            set_committed_value(post, "author", authors.get(post.author_id))
            set_committed_value(post, "value", values.get(post.value_id))
            if post.request_department_id is None:
                set_committed_value(post, "request_department", None)
        return self


@dataclass
class FeedPage:
    cards: list[Card]
    next_cursor: int | None


def _filtered(query, viewer: User, wall_filter: WallFilter):
    if wall_filter.department is not None:
        query = query.where(
            Recognition.id.in_(
                select(RecognitionDepartment.recognition_id).where(
                    RecognitionDepartment.department_id == wall_filter.department.id
                )
            )
        )
    if wall_filter.value is not None:
        query = query.where(Recognition.value_id == wall_filter.value.id)
    if wall_filter.person is not None:
        person_id = wall_filter.person.id
        query = query.where(
            or_(
                Recognition.author_id == person_id,
                Recognition.id.in_(
                    select(RecognitionRecipient.recognition_id).where(
                        RecognitionRecipient.user_id == person_id
                    )
                ),
            )
        )
    if wall_filter.mentions_me:
        query = query.where(
            Recognition.id.in_(
                select(RecognitionMention.recognition_id).where(
                    RecognitionMention.user_id == viewer.id
                )
            )
        )
    return query


def feed_ids(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[int], int | None]:
    """Newest first; `before` is the keyset cursor (the last id already shown). Returns
    the ids of the page's posts and the cursor of the next page (None on the last)."""
    query = select(Recognition.id).where(visible_posts(viewer))
    query = _filtered(query, viewer, wall_filter or WallFilter())
    if before is not None:
        query = query.where(Recognition.id < before)
    ids = list(db.session.scalars(query.order_by(Recognition.id.desc()).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    return ids, (ids[-1] if more and ids else None)


def posts_by_ids(ids: list[int]) -> list[Recognition]:
    """These posts, in the order of `ids` (those that no longer exist left out)."""
    if not ids:
        return []
    found = {
        p.id: p for p in db.session.scalars(select(Recognition).where(Recognition.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]


def feed_posts(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[Recognition], int | None]:
    ids, cursor = feed_ids(viewer, wall_filter, before, limit)
    return posts_by_ids(ids), cursor


def feed(
    viewer: User,
    wall_filter: WallFilter | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> FeedPage:
    posts, cursor = feed_posts(viewer, wall_filter, before, limit)
    return FeedPage(cards(viewer, posts), cursor)


_REACTIONS_ON = text(
    "SELECT recognition_id, kind, COUNT(*), "
    "MAX(CASE WHEN user_id = :viewer THEN 1 ELSE 0 END) "
    "FROM recognition_reaction WHERE recognition_id IN :ids GROUP BY recognition_id, kind"
).bindparams(bindparam("ids", expanding=True))
_KINDS = [(k, k.value) for k in ReactionKind]


def reactions_on(viewer: User, ids: list[int]) -> dict[int, list[tuple[ReactionKind, int, bool]]]:
    """Per post: each reaction with its count and whether it is the viewer's own (one
    statement for a page: it runs on every view of the wall)."""
    counts: dict[tuple[int, str], int] = {}
    mine: set[tuple[int, str]] = set()
    if ids:
        for post_id, kind, count, own in db.session.execute(
            _REACTIONS_ON, {"viewer": viewer.id, "ids": ids}
        ):
            counts[(post_id, kind)] = count
            if own:
                mine.add((post_id, kind))
    return {i: [(k, counts.get((i, v), 0), (i, v) in mine) for k, v in _KINDS] for i in ids}


def cards(viewer: User, posts: list[Recognition], addons_per_post: int = 3) -> list[Card]:
    """Everything a post's card shows, in a fixed number of queries for the whole page:
    the reactions now (they are the viewer's own), the rest when first read."""
    if not posts:
        return []
    reactions = reactions_on(viewer, [p.id for p in posts])
    batch = _CardBatch(viewer.id, posts, addons_per_post)
    now = datetime.now(UTC)
    return [
        Card(
            post=post,
            reactions=reactions[post.id],
            can_edit=can_edit(viewer, post, now),
            can_delete=post.author_id == viewer.id,
            _batch=batch,
        )
        for post in posts
    ]


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


def recent_thanks(viewer: User, limit: int = 3) -> list[Card]:
    query = (
        select(Recognition)
        .where(visible_posts(viewer))
        .order_by(Recognition.id.desc())
        .limit(limit)
    )
    return cards(viewer, list(db.session.scalars(query)), addons_per_post=0)


# Without a leaderboard ------------------------------------------------------------------


@dataclass(frozen=True)
class ValueShare:
    name: str
    colour: str


@dataclass
class DepartmentMonth:
    """Plain values only (no ORM rows), so the figures can be cached."""

    department_id: int
    department_name: str
    given: int
    received: int
    values: list[tuple[ValueShare, int]]
    month_start: date

    @property
    def total_values(self) -> int:
        return sum(n for _, n in self.values)


def department_month(department: Department, today: date | None = None) -> DepartmentMonth:
    """Thanks given and received by a department this month, and the mix of values
    received. Counts public posts only: a department-only post is not for everyone."""
    today = today or datetime.now(UTC).date()
    start = datetime(today.year, today.month, 1, tzinfo=UTC)
    # Ids follow time: from the month's first post on, the (department_id, recognition_id)
    # index gives exactly this month's rows.
    first_id = db.session.scalar(
        select(Recognition.id)
        .where(Recognition.created_at >= start)
        .order_by(Recognition.created_at, Recognition.id)
        .limit(1)
    )
    if first_id is None:
        return DepartmentMonth(department.id, department.name, 0, 0, [], start.date())
    base = (
        select(RecognitionDepartment.given, RecognitionDepartment.received, Recognition.value_id)
        .join(Recognition, Recognition.id == RecognitionDepartment.recognition_id)
        .where(
            RecognitionDepartment.department_id == department.id,
            RecognitionDepartment.recognition_id >= first_id,
            Recognition.hidden_at.is_(None),
            Recognition.visibility == Visibility.PUBLIC,
        )
    )
    given = received = 0
    mix: Counter = Counter()
    for is_given, is_received, value_id in db.session.execute(base):
        given += bool(is_given)
        if is_received:
            received += 1
            mix[value_id] += 1
    values = {
        v.id: v
        for v in db.session.scalars(select(CompanyValue).where(CompanyValue.id.in_(list(mix))))
    }
    return DepartmentMonth(
        department_id=department.id,
        department_name=department.name,
        given=given,
        received=received,
        values=[
            (ValueShare(values[vid].name, values[vid].colour), n)
            for vid, n in mix.most_common()
            if vid in values
        ],
        month_start=start.date(),
    )


def spotlight_post(viewer: User, today: date | None = None) -> Recognition | None:
    """Today's spotlight: a recent public post with many add-ons whose recipients were
    not in the spotlight in the last 30 days. Chosen once per day and kept."""
    today = today or datetime.now(UTC).date()
    chosen = db.session.get(Spotlight, today)
    if chosen is None:
        chosen = _choose_spotlight(today)
    if chosen is None:
        return None
    post = db.session.get(Recognition, chosen.recognition_id)
    if post is None or post.hidden_at is not None or not can_view(viewer, post):
        return None
    return post


def spotlight(viewer: User, today: date | None = None) -> Card | None:
    post = spotlight_post(viewer, today)
    return card(viewer, post) if post is not None else None


def _choose_spotlight(today: date) -> Spotlight | None:
    recent_people = select(RecognitionRecipient.user_id).where(
        RecognitionRecipient.user_id.is_not(None),
        RecognitionRecipient.recognition_id.in_(
            select(Spotlight.recognition_id).where(
                Spotlight.day > today - timedelta(days=SPOTLIGHT_DAYS)
            )
        ),
    )
    since = datetime(today.year, today.month, today.day, tzinfo=UTC) - SPOTLIGHT_RECENT
    candidate = db.session.scalar(
        select(Recognition.id)
        .where(
            Recognition.created_at >= since,
            Recognition.hidden_at.is_(None),
            Recognition.visibility == Visibility.PUBLIC,
            Recognition.addon_count > 0,
            ~exists().where(
                RecognitionRecipient.recognition_id == Recognition.id,
                RecognitionRecipient.user_id.in_(recent_people),
            ),
        )
        .order_by(Recognition.addon_count.desc(), Recognition.id.desc())
        .limit(1)
    )
    if candidate is None:
        return None
    try:
        with write_transaction():
            db.session.add(Spotlight(day=today, recognition_id=candidate))
    except IntegrityError:  # another worker chose today's first
        db.session.rollback()
    return db.session.get(Spotlight, today)


@dataclass(frozen=True)
class Colleague:
    """Who a manager might thank: plain values, so the list can be cached."""

    id: int
    name: str
    first_name: str


def managed_departments(user: User) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.department_id).where(
                Membership.user_id == user.id, Membership.role == MembershipRole.MANAGER
            )
        )
    )


def not_thanked_lately(
    manager: User, now: datetime | None = None, limit: int = 8
) -> list[tuple[Colleague, datetime | None]] | None:
    """For a manager only (None for anyone else): people in the departments they manage
    who have not been thanked by name in NOT_THANKED_DAYS, longest-waiting first."""
    departments = managed_departments(manager)
    if not departments:
        return None
    since = _now(now) - timedelta(days=NOT_THANKED_DAYS)
    colleague = aliased(User)
    team = list(  # rows of (id, name): up to TEAM_LIMIT people, no entities to build
        db.session.execute(
            select(User.id, User.name)
            .where(
                User.active,
                User.id != manager.id,
                # Two index lookups in one list (an OR of them read every person on
                # PostgreSQL: 23 ms at 100,000 people, against 4 ms).
                User.id.in_(
                    union(
                        select(colleague.id).where(colleague.department_id.in_(departments)),
                        select(Membership.user_id).where(Membership.department_id.in_(departments)),
                    )
                ),
            )
            .order_by(User.name)
            .limit(TEAM_LIMIT)
        )
    )
    if not team:
        return []
    # The newest post naming each of them: ids follow time, so the greatest id is the
    # latest, read from the (user_id, recognition_id) index per person.
    latest = dict(
        db.session.execute(
            select(RecognitionRecipient.user_id, func.max(RecognitionRecipient.recognition_id))
            .where(RecognitionRecipient.user_id.in_([u.id for u in team]))
            .group_by(RecognitionRecipient.user_id)
        ).all()
    )
    when = dict(
        db.session.execute(
            select(Recognition.id, Recognition.created_at).where(
                Recognition.id.in_(list(latest.values()))
            )
        ).all()
    )
    waiting = []
    for person in team:
        last_at = when.get(latest.get(person.id))
        if last_at is not None and _aware(last_at) >= since:
            continue
        waiting.append(
            (
                Colleague(person.id, person.name, person.name.split(" ", 1)[0]),
                _aware(last_at) if last_at is not None else None,
            )
        )
    waiting.sort(key=lambda pair: (pair[1] is not None, pair[1] or since, pair[0].name))
    return waiting[:limit]


# The form's helpers ---------------------------------------------------------------------


def prefill_for(
    viewer: User,
    *,
    to_user: int | None = None,
    to_department: str | None = None,
    request_key: str | None = None,
) -> tuple[str, ServiceRequest | None]:
    """What the recipients box starts with when the form is opened from a person's or a
    department's page, or from a resolved request ("Thank the team")."""
    sr = thankable_request(viewer, request_key)
    if sr is not None:
        entries = []
        if sr.assignee_id and sr.assignee_id != viewer.id:
            entries.append("@" + handle_of(db.session.get(User, sr.assignee_id)))
        entries.append(sr.department.name)
        return ", ".join(entries), sr
    if to_user:
        person = db.session.get(User, to_user)
        if person is not None and person.active and person.id != viewer.id:
            return "@" + handle_of(person), None
    if to_department and to_department.isascii() and "\x00" not in to_department:
        department = db.session.scalar(
            select(Department).where(Department.slug == to_department[:64])
        )
        if department is not None:
            return department.name, None
    return "", None


def picker_options(viewer: User, typed: str, limit: int = 8) -> list[tuple[str, str]]:
    """Type-ahead for the recipients box: (whole new value of the box, label). The last
    comma-separated entry is completed; the ones before it are kept."""
    parts = typed.split(",")
    head = [p.strip() for p in parts[:-1] if p.strip()]
    term = markup.clean_text(parts[-1]).lstrip("@")[:60]
    if len(term) < 2:
        return []
    like = "%" + _like_literal(term.lower()) + "%"
    prefix = ", ".join(head) + (", " if head else "")
    options: list[tuple[str, str]] = []
    for department in db.session.scalars(
        select(Department)
        .where(Department.active, func.lower(Department.name).like(like, escape="\\"))
        .order_by(Department.name)
        .limit(3)
    ):
        options.append((prefix + department.name, f"{department.name} (the whole team)"))
    people = db.session.scalars(
        select(User)
        .where(
            User.active,
            User.id != viewer.id,
            or_(
                func.lower(User.name).like(like, escape="\\"),
                func.lower(User.email).like(like, escape="\\"),
            ),
        )
        .order_by(User.name)
        .limit(limit)
        .options(selectinload(User.department))
    )
    for person in people:
        where = f" · {person.department.name}" if person.department else ""
        options.append((prefix + "@" + handle_of(person), f"{person.name}{where}"))
    return options[:limit]
