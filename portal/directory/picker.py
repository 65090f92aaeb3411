"""The people-and-teams picker: who someone means when they choose or type a colleague or a
team. One rule for every place a person is chosen (the wall's recipients, an assignee …).

- Who may be chosen (`_pickable`): active employees everywhere; a guest (a partner or vendor
  contact, issue 18) only where the caller says `guests=True` — a wall thanks's recipients —
  never as "who is it for", an assignee, an approver or a member.
- `suggestions`: the type-ahead, name first: active people and departments whose name (a word
  of it) starts with what was typed, the closest first. Only what the directory already shows
  anyone signed in (name, title, department); never an e-mail address.
- `resolve`: what a form sent, as people and departments. Chosen chips arrive as tokens
  (`person-12`, `department-3`); without JavaScript the plain field holds names, @handles,
  e-mail addresses or team names, comma-separated. A name that fits several people is
  `Ambiguous` (a refusal carrying its candidates, so the form can ask which one); a chosen
  candidate settles the typed name on the next try.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import selectinload

from portal.core.errors import Refused
from portal.core.ids import parse_id
from portal.core.policy import is_member, manages
from portal.extensions import db
from portal.models import Department, Guest, Membership, User

PERSON = "person"
DEPARTMENT = "department"
CANDIDATES_SHOWN = 6
_TOKEN = re.compile(r"(person|department)-([0-9]{1,10})")


@dataclass(frozen=True)
class Pick:
    """A person or a team as a picker shows it: an option, a chip or a candidate."""

    kind: str
    id: int
    name: str
    detail: str

    @property
    def token(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def initials(self) -> str:
        words = [w for w in re.split(r"[\s&-]+", self.name) if w[:1].isalnum()]
        if not words:
            return "?"
        if len(words) == 1 and len(words[0]) <= 3:  # IT, HR: the name is its own initials
            return words[0].upper()
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
        return letters.upper()

    @property
    def kind_label(self) -> str:
        return "Person" if self.kind == PERSON else "Team"


def _pickable(guests: bool):
    """The one rule of who a picker offers and accepts: people, not service accounts; guests
    only where a partner may be chosen (`guests=True`: a wall thanks's recipients)."""
    return and_(~User.is_service, true() if guests else ~User.is_guest)


def _organisations(people: list[User]) -> dict[int, str]:
    """{user id: organisation} for the guests among these people, in one read."""
    ids = [p.id for p in people if p.is_guest]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Guest.user_id, Guest.organisation).where(Guest.user_id.in_(ids))
    )
    return dict(rows.all())


def pick_of(chosen: User | Department, organisation: str | None = None) -> Pick:
    if isinstance(chosen, Department):
        return Pick(DEPARTMENT, chosen.id, chosen.name, "The whole team")
    if chosen.is_guest:
        organisation = organisation or _organisations([chosen]).get(chosen.id, "")
        return Pick(PERSON, chosen.id, chosen.name, f"Partner: {organisation}")
    parts = [chosen.title or "", chosen.department.name if chosen.department else ""]
    return Pick(PERSON, chosen.id, chosen.name, " · ".join(p for p in parts if p))


def plain(text: object) -> str:
    """What was typed as one line of visible text: no control, format (zero-width, bidi)
    or surrogate characters, spaces collapsed. A name typed with a hidden override is the
    name as it shows."""
    text = unicodedata.normalize("NFC", str(text or ""))
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    return " ".join(kept.split())


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_starts(column, term: str):
    """The name, or a word of it, starts with `term` (already lower case)."""
    literal = _like_literal(term)
    lowered = func.lower(column)
    return or_(
        lowered.like(f"{literal}%", escape="\\"), lowered.like(f"% {literal}%", escape="\\")
    )


def _starts_first(column, term: str):
    """Order by: the name itself starts with `term` (before a later word of it), then name."""
    starts = func.lower(column).like(f"{_like_literal(term)}%", escape="\\")
    return (case((starts, 0), else_=1), column)


def _closeness(term: str):
    def key(pick: Pick) -> tuple:
        name = pick.name.lower()
        return (name != term, not name.startswith(term), pick.name.lower(), pick.kind)

    return key


def suggestions(
    typed: str,
    *,
    people: bool = True,
    departments: bool = True,
    leave_out: int | None = None,
    member_of: int | None = None,
    limit: int = 8,
    guests: bool = False,
) -> list[Pick]:
    """Up to `limit` active people and departments for what was typed (2 characters or more);
    with `member_of`, only that department's agents and managers (and no departments);
    with `guests`, partners too (shown with their organisation)."""
    term = plain(typed).lstrip("@").lower()[:60]
    if len(term) < 2:
        return []
    found: list[Pick] = []
    if departments and member_of is None:
        query = select(Department).where(Department.active, _name_starts(Department.name, term))
        query = query.order_by(*_starts_first(Department.name, term)).limit(4)
        found += [pick_of(d) for d in db.session.scalars(query)]
    if people:
        query = (
            select(User)
            .where(User.active, _pickable(guests), _name_starts(User.name, term))
            .order_by(*_starts_first(User.name, term))
            .limit(limit + 1)
            .options(selectinload(User.department))
        )
        if leave_out is not None:
            query = query.where(User.id != leave_out)
        if member_of is not None:
            query = query.join(Membership, Membership.user_id == User.id).where(
                Membership.department_id == member_of
            )
        people_found = list(db.session.scalars(query))
        organisations = _organisations(people_found)
        found += [pick_of(p, organisations.get(p.id)) for p in people_found]
    return sorted(found, key=_closeness(term))[:limit]


def type_ahead(
    viewer: User,
    typed: str,
    *,
    teams: bool,
    leave_me_out: bool,
    within: str = "",
    partners: bool = False,
) -> list[Pick]:
    """The suggestions a picker asks for. `within` (a department's slug) offers only the
    people who work there, and only to someone who works there or manages it: who belongs
    to a department is for its own people to see. `partners` (the wall's recipients box)
    offers guests too; what is accepted is still `resolve`'s, by its caller's context."""
    member_of = None
    if within:
        department = db.session.scalar(select(Department).where(Department.slug == within))
        if department is None or not (is_member(viewer, department) or manages(viewer, department)):
            return []
        member_of = department.id
    leave_out = viewer.id if leave_me_out else None
    return suggestions(
        typed,
        departments=teams,
        leave_out=leave_out,
        member_of=member_of,
        guests=partners and member_of is None,
    )


class Ambiguous(Refused):
    """A typed name that fits several people: the refusal carries who they are."""

    def __init__(self, message: str, field: str, candidates: list[Pick]) -> None:
        super().__init__(message, field)
        self.candidates = candidates


def entries_of(typed: str) -> list[str]:
    """The plain field's entries: comma- or semicolon-separated, cleaned, non-empty."""
    entries = [plain(e) for e in str(typed or "").replace(";", ",").split(",")]
    return [e[:254] for e in entries if e]


def _by_token(token: str, guests: bool = False) -> User | Department | None:
    match = _TOKEN.fullmatch(token.strip()) if isinstance(token, str) else None
    if match is None or parse_id(match.group(2)) is None:
        return None
    if match.group(1) == DEPARTMENT:
        return db.session.get(Department, int(match.group(2)))
    return db.session.scalar(
        select(User).where(User.id == int(match.group(2)), _pickable(guests))
    )


def chosen_picks(
    tokens: list[str], limit: int = 20, *, even_inactive: bool = False, guests: bool = False
) -> list[Pick]:
    """The chips to show again for what was sent (the ones that still exist and are active;
    `even_inactive`: a choice already made, such as the current assignee, shows as it is)."""
    picks = []
    for token in list(tokens or [])[:limit]:
        found = _by_token(token, guests)
        shown = found is not None and (found.active or even_inactive)
        if shown and pick_of(found) not in picks:
            picks.append(pick_of(found))
    return picks


def _left(found: User | Department, field: str) -> None:
    if not found.active:
        if isinstance(found, Department):
            raise Refused(f"{found.name} is no longer a team here: choose another", field)
        raise Refused(f"{found.name} has left: choose someone who is still here", field)


def people_by_address(entry: str, guests: bool = False) -> list[User]:
    """`ivan@example.com` (the whole address) or `@ivan` / `ivan` (the part before the @)."""
    handle = entry.lower().lstrip("@")
    if "@" in handle:
        return list(
            db.session.scalars(
                select(User).where(func.lower(User.email) == handle, _pickable(guests))
            )
        )
    pattern = f"{_like_literal(handle)}@%"
    query = (
        select(User)
        .where(func.lower(User.email).like(pattern, escape="\\"), _pickable(guests))
        .limit(3)
    )
    return list(db.session.scalars(query))


def _people_named(entry: str, guests: bool = False) -> list[User]:
    """Active people with exactly this name; else those whose name (a word of it) starts so."""
    term = entry.lower()
    named = (
        select(User)
        .where(User.active, _pickable(guests))
        .options(selectinload(User.department))
        .limit(CANDIDATES_SHOWN + 1)
    )
    exact = list(db.session.scalars(named.where(func.lower(User.name) == term)))
    if exact:
        return exact
    query = named.where(_name_starts(User.name, term)).order_by(*_starts_first(User.name, term))
    return list(db.session.scalars(query))


def _department_named(entry: str) -> Department | None:
    lowered = entry.lower()
    return db.session.scalar(
        select(Department).where(
            Department.active,
            or_(func.lower(Department.name) == lowered, Department.slug == lowered),
        )
    )


def _typed(
    entry: str, field: str, chosen: list[User | Department], departments: bool, guests: bool
):
    """One entry of the plain field as a person or a department (Refused otherwise)."""
    if entry.startswith("@") or "@" in entry:
        people = people_by_address(entry, guests)
    else:
        department = _department_named(entry) if departments else None
        if department is not None:
            return department
        people = _people_named(entry, guests) or people_by_address(entry, guests)
    if len(people) > 1:
        settled = [p for p in people if p in chosen]
        if settled:
            return settled[0]
        organisations = _organisations(people[:CANDIDATES_SHOWN])
        shown = [pick_of(p, organisations.get(p.id)) for p in people[:CANDIDATES_SHOWN]]
        raise Ambiguous(
            f"More than one colleague matches “{entry}”: choose one below, "
            "or type their full name or e-mail address",
            field,
            shown,
        )
    if not people:
        raise Refused(
            f"We could not find “{entry}”. Type a colleague's name, @handle or e-mail address"
            + (", or a team's name" if departments else ""),
            field,
        )
    return people[0]


def resolve(
    typed: str,
    tokens: list[str] | None,
    *,
    field: str,
    limit: int,
    departments: bool = True,
    guests: bool = False,
) -> list[User | Department]:
    """People and departments named by the chips (`tokens`) and the plain field (`typed`),
    each once, in order. Refused (with `field`) for too many, a token that names no one, a
    person who left, a name nobody has; `Ambiguous` for a name several people have. Guests
    are someone only with `guests` (`_pickable`)."""
    tokens = list(tokens or [])
    entries = entries_of(typed)
    too_many = _too_many(limit, departments)
    if len(tokens) + len(entries) > limit * 2 or len({*tokens}) + len(entries) > limit:
        raise Refused(too_many, field)
    chosen: list[User | Department] = []
    for token in tokens:
        found = _by_token(token, guests)
        if found is None or (isinstance(found, Department) and not departments):
            raise Refused("One of the people or teams you chose is not there: choose again", field)
        _left(found, field)
        if found not in chosen:
            chosen.append(found)
    for entry in entries:
        found = _typed(entry, field, chosen, departments, guests)
        _left(found, field)
        if found not in chosen:
            chosen.append(found)
    if len(chosen) > limit:
        raise Refused(too_many, field)
    return chosen


def resolve_one(typed: str, token: str, *, field: str) -> User:
    """One person for a single picker (an assignee, "on behalf of"): the name, @handle or
    e-mail address typed, when there is one (a name several people have is settled by the
    ticked candidate `token`), else the chip `token`. Refused / Ambiguous otherwise."""
    if entries_of(typed):
        try:
            return resolve(typed, None, field=field, limit=1, departments=False)[0]
        except Ambiguous as ambiguous:
            if token not in {c.token for c in ambiguous.candidates}:
                raise
    if not token:  # only invisible characters typed
        raise Refused("Type a colleague's name or e-mail address", field)
    return resolve("", [token], field=field, limit=1, departments=False)[0]


def _too_many(limit: int, departments: bool) -> str:
    if limit == 1:
        return "Choose one person"
    return f"Choose at most {limit} people" + (" or teams" if departments else "")
