"""A department page's "Who we serve, who we rely on": the declared links and the observed ones
(last 90 days) touching the department — partners and vendors among those it serves when
guests asked it anything — with the figures, and the company goals it serves. Plain values,
cached under the chain's stamp: a department page pays one cheap statement (the stamp) for
it when the cache is on."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from sqlalchemy import Integer, and_, bindparam, case, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from portal.chain.services import SCOPE, goals
from portal.chain.services.mapping import EXTERNAL_NAME, PARTNERS_NAME
from portal.core import caching
from portal.database import read
from portal.models import ChainFlow, ChainLink, ChainPartnerFlow, Department

WINDOW = 90
OBSERVED_SHOWN = 3  # links seen only in requests, per side: the busiest; the rest counted


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
    """Each side: every declared link, then the OBSERVED_SHOWN busiest seen only in
    requests; `more_…`: how many other observed-only links the side has."""

    serves: list[Neighbour] = field(default_factory=list)
    relies_on: list[Neighbour] = field(default_factory=list)
    goals: list[tuple[int, str, str, list[str]]] = field(default_factory=list)
    more_serves: int = 0
    more_relies_on: int = 0

    @property
    def empty(self) -> bool:
        return not (self.serves or self.relies_on or self.goals)


def _rows_statement():
    """Every link of one department (the parameter `department_id`) that its strip can show:
    the declared ones with their own flow's figures, on each side the busiest links seen
    only in requests, partners'. Built once: a request neither builds the union again nor
    works out its cache key."""
    department_id = bindparam("department_id", type_=Integer)
    # One select per side, each led by an index (ix_chain_flow_serving; uq_chain_flow's
    # window_days, asking_id): "serving_id = d OR asking_id = d" read every flow of the window.
    sides = [
        _seen_only(department_id, we_serve, ours, other)
        for we_serve, ours, other in (
            (True, "serving_id", "asking_id"),
            (False, "asking_id", "serving_id"),
        )
    ]
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
        literal(1),  # itself
    ).where(ChainPartnerFlow.window_days == WINDOW, ChainPartnerFlow.serving_id == department_id)
    return union_all(_declared(department_id), *sides, partners)


def _declared(department_id):
    """The department's declared links, each with its own flow's figures (uq_chain_flow)."""
    other_link = case(
        (ChainLink.server_id == department_id, ChainLink.client_id), else_=ChainLink.server_id
    )
    return (
        select(
            literal(True).label("declared"),
            (ChainLink.server_id == department_id).label("we_serve"),
            Department.name,
            Department.slug,
            ChainLink.reason,
            func.coalesce(ChainFlow.asked, 0).label("asked"),
            func.coalesce(ChainFlow.resolved, 0).label("resolved"),
            func.coalesce(ChainFlow.within_promise, 0).label("within"),
            ChainFlow.median_minutes.label("median"),
            func.coalesce(ChainFlow.rating_sum, 0).label("rating_sum"),
            func.coalesce(ChainFlow.rating_count, 0).label("rating_count"),
            literal(0).label("in_all"),
        )
        .select_from(ChainLink)
        .outerjoin(Department, Department.id == other_link)
        .outerjoin(
            ChainFlow,
            and_(
                ChainFlow.window_days == WINDOW,
                ChainFlow.asking_id == ChainLink.client_id,
                ChainFlow.serving_id == ChainLink.server_id,
                ChainFlow.asking_id != ChainFlow.serving_id,
            ),
        )
        .where(or_(ChainLink.server_id == department_id, ChainLink.client_id == department_id))
        .where(or_(Department.id.is_(None), Department.active))
    )


def _seen_only(department_id, we_serve: bool, ours: str, other: str):
    """One side's links seen only in requests (no declared link between the two). A
    department may have hundreds, of which the strip shows the busiest few: the database
    returns only those asked at least as often as the side's OBSERVED_SHOWN-th busiest (ties
    with it included, for `neighbourhood` to order exactly), each with how many the side has
    in all. (`ours`, `other`: the flow's column for this department and for the other one.)

    Two scalar subqueries, not window functions: SQLite's count() OVER () and rank() OVER
    read and sorted every link of the side again (0.8 ms of a department page, with 300
    departments); these are answered from ix_chain_flow_serving and uq_chain_flow alone."""

    def side(columns, flow=None):
        flow = flow if flow is not None else aliased(ChainFlow)
        department, link = aliased(Department), aliased(ChainLink)
        return (
            select(*columns(flow, department))
            .select_from(flow)
            .join(department, and_(department.id == getattr(flow, other), department.active))
            .outerjoin(
                link, and_(link.server_id == flow.serving_id, link.client_id == flow.asking_id)
            )
            .where(
                flow.window_days == WINDOW,
                getattr(flow, ours) == department_id,
                getattr(flow, other) != department_id,
                link.id.is_(None),
            )
        )

    in_all = side(lambda flow, _department: [func.count()]).scalar_subquery()
    ranked = aliased(ChainFlow)
    busiest_floor = (
        side(lambda flow, _department: [flow.asked], flow=ranked)
        .order_by(ranked.asked.desc())
        .limit(1)
        .offset(OBSERVED_SHOWN - 1)
        .scalar_subquery()
    )
    shown = aliased(ChainFlow)
    return side(
        lambda flow, department: [
            literal(False).label("declared"),
            literal(we_serve).label("we_serve"),
            department.name,
            department.slug,
            literal("").label("reason"),
            flow.asked,
            flow.resolved,
            flow.within_promise,
            flow.median_minutes,
            flow.rating_sum,
            flow.rating_count,
            in_all.label("in_all"),
        ],
        flow=shown,
    ).where(shown.asked >= func.coalesce(busiest_floor, 0))


_ROWS = _rows_statement()


def _rows(department_id: int):
    return read(_ROWS, {"department_id": department_id}).all()


def _observed(item: Neighbour, row) -> Neighbour:
    item.asked, item.resolved, item.within_promise = row[5], row[6], row[7]
    item.median_minutes, item.rating_sum, item.rating_count = row[8], row[9], row[10]
    return item


def _order(slug: str | None, asked: int, name: str) -> tuple:
    return (slug is None, -asked, name.casefold())


def neighbourhood(department_id: int) -> Neighbourhood:
    serves: dict[bool, list[Neighbour]] = {True: [], False: []}  # declared, with figures
    candidates: dict[bool, list] = {True: [], False: []}  # seen only: the busiest few
    in_all: dict[tuple[bool, bool], int] = {}  # (side, partners' row) → links seen only
    for place, row in enumerate(_rows(department_id)):
        name, slug, we_serve = row[2] or EXTERNAL_NAME, row[3], bool(row[1])
        if row[0]:
            serves[we_serve].append(_observed(Neighbour(name, slug, row[4], True), row))
        else:
            candidates[we_serve].append((*_order(slug, row[5], name), place, row))
            in_all[(we_serve, slug is None)] = int(row[11])  # each row has its side's count
    result = Neighbourhood()
    for we_serve in (True, False):
        mine = sorted(serves[we_serve], key=lambda n: _order(n.slug, n.asked, n.name))
        busiest = [entry[-1] for entry in heapq.nsmallest(OBSERVED_SHOWN, candidates[we_serve])]
        shown = mine + [_observed(Neighbour(r[2] or EXTERNAL_NAME, r[3]), r) for r in busiest]
        more = in_all.get((we_serve, False), 0) + in_all.get((we_serve, True), 0) - len(busiest)
        if we_serve:
            result.serves, result.more_serves = shown, more
        else:
            result.relies_on, result.more_relies_on = shown, more
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
