"""A department page's "Who we serve, who we rely on": the declared links and the observed ones
(last 90 days) touching the department — partners and vendors among those it serves when
guests asked it anything — with the figures, and the company goals it serves. Plain values,
cached under the chain's stamp: a department page pays one cheap statement (the stamp) for
it when the cache is on."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, literal, null, or_, select, union_all

from portal.chain.services import SCOPE, goals
from portal.chain.services.mapping import EXTERNAL_NAME, PARTNERS_NAME
from portal.core import caching
from portal.extensions import db
from portal.models import ChainFlow, ChainLink, ChainPartnerFlow, Department

WINDOW = 90


@dataclass
class Neighbour:
    name: str
    slug: str | None  # None: external customers, or partners and vendors
    reason: str = ""
    declared: bool = False
    asked: int = 0
    resolved: int = 0
    within_promise: int = 0
    median_minutes: int | None = None
    rating_sum: int = 0
    rating_count: int = 0

    @property
    def share(self) -> float | None:
        return self.within_promise / self.resolved if self.resolved else None

    @property
    def rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


@dataclass
class Neighbourhood:
    serves: list[Neighbour] = field(default_factory=list)
    relies_on: list[Neighbour] = field(default_factory=list)
    goals: list[tuple[int, str, str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.serves or self.relies_on or self.goals)


def _rows(department_id: int):
    other_link = case(
        (ChainLink.server_id == department_id, ChainLink.client_id), else_=ChainLink.server_id
    )
    declared = (
        select(
            literal(True).label("declared"),
            (ChainLink.server_id == department_id).label("we_serve"),
            Department.name,
            Department.slug,
            ChainLink.reason,
            *(literal(0).label(n) for n in ("asked", "resolved", "within")),
            null().label("median"),
            literal(0).label("rating_sum"),
            literal(0).label("rating_count"),
        )
        .select_from(ChainLink)
        .outerjoin(Department, Department.id == other_link)
        .where(or_(ChainLink.server_id == department_id, ChainLink.client_id == department_id))
        .where(or_(Department.id.is_(None), Department.active))
    )
    other_flow = case(
        (ChainFlow.serving_id == department_id, ChainFlow.asking_id), else_=ChainFlow.serving_id
    )
    observed = (
        select(
            literal(False),
            (ChainFlow.serving_id == department_id),
            Department.name,
            Department.slug,
            literal(""),
            ChainFlow.asked,
            ChainFlow.resolved,
            ChainFlow.within_promise,
            ChainFlow.median_minutes,
            ChainFlow.rating_sum,
            ChainFlow.rating_count,
        )
        .join(Department, and_(Department.id == other_flow, Department.active))
        .where(
            ChainFlow.window_days == WINDOW,
            or_(ChainFlow.serving_id == department_id, ChainFlow.asking_id == department_id),
        )
    )
    partners = select(  # partners and vendors (guests) only ask: observed, never declared
        literal(False),
        literal(True),
        literal(PARTNERS_NAME),
        null(),
        literal(""),
        ChainPartnerFlow.asked,
        ChainPartnerFlow.resolved,
        ChainPartnerFlow.within_promise,
        ChainPartnerFlow.median_minutes,
        ChainPartnerFlow.rating_sum,
        ChainPartnerFlow.rating_count,
    ).where(ChainPartnerFlow.window_days == WINDOW, ChainPartnerFlow.serving_id == department_id)
    return db.session.execute(union_all(declared, observed, partners)).all()


def neighbourhood(department_id: int) -> Neighbourhood:
    found: dict[tuple[bool, str | None, str], Neighbour] = {}
    for declared, we_serve, name, slug, reason, asked, resolved, within, median, rsum, rcount in (
        _rows(department_id)
    ):
        name = name or EXTERNAL_NAME
        item = found.setdefault((bool(we_serve), slug, name), Neighbour(name, slug))
        if declared:
            item.declared, item.reason = True, reason
        else:
            item.asked, item.resolved, item.within_promise = asked, resolved, within
            item.median_minutes, item.rating_sum, item.rating_count = median, rsum, rcount
    order = lambda n: (n.slug is None, -n.asked, n.name.casefold())  # noqa: E731
    result = Neighbourhood(
        serves=sorted((n for (we, *_), n in found.items() if we), key=order),
        relies_on=sorted((n for (we, *_), n in found.items() if not we), key=order),
    )
    result.goals = [
        (goal.id, goal.title, goal.target, services) for goal, services in goals.goals_of(
            department_id
        )
    ]
    return result


def cached_neighbourhood(department: Department) -> Neighbourhood:
    return caching.cached(
        f"chain-neighbours:{department.id}",
        lambda: neighbourhood(department.id),
        seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"),
        scopes=(SCOPE,),
    )
