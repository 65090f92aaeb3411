"""What the help articles did (issue 14 item 4): questions they answered before a request
was filed (deflections), how helpful readers found them and which are read most.

Counts only, grouped in SQL: a few statements however many departments or articles. Reads
are the articles' own counters (all time); deflections are counted over the scorecard's
periods. A department-only article is listed only to those who may read it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, select

from portal.core import clock
from portal.database import read
from portal.directory.services import DepartmentOrPlain
from portal.extensions import db
from portal.knowledge.services.access import may_read, may_write
from portal.models import Article, ArticleAudience, ArticleStatus, Deflection, Department, User

LISTED = 10  # articles on a scorecard
MOST_READ = 5  # articles on /insights


@dataclass(frozen=True)
class ArticleFigure:
    article: Any  # a row of _PUBLISHED: id, slug, title, audience
    reads: int
    helpful_yes: int
    helpful_no: int
    deflections: int

    @property
    def answers(self) -> int:
        return self.helpful_yes + self.helpful_no

    @property
    def helpful_share(self) -> float | None:
        return self.helpful_yes / self.answers if self.answers else None


@dataclass(frozen=True)
class DepartmentHelp:
    deflections: dict[int, int]  # days -> questions answered in the last `days` days
    articles: list[ArticleFigure]  # most read first


def _since(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


@functools.cache
def _deflections(windows: tuple[int, ...], by_department: bool):
    """Deflections per department in each window, built once per shape: the windows'
    starts are the parameters since_<days> (and since, the widest), the departments ids."""
    sums = [
        func.sum(case((Deflection.created_at >= bindparam(f"since_{days}"), 1), else_=0))
        for days in windows
    ]
    query = (
        select(Deflection.department_id, *sums)
        .where(Deflection.created_at >= bindparam("since"))
        .group_by(Deflection.department_id)
    )
    if by_department:
        query = query.where(Deflection.department_id.in_(bindparam("ids", expanding=True)))
    return query


def deflections_in(department_ids: list[int] | None, windows: tuple[int, ...], now=None):
    """{(department_id, days): deflections in the last `days` days}, one statement."""
    now = clock.now(now)
    windows = tuple(windows)
    values = {f"since_{days}": _since(days, now) for days in windows}
    values |= {"since": _since(max(windows), now), "ids": department_ids}
    found: dict[tuple[int, int], int] = {}
    statement = _deflections(windows, department_ids is not None)
    for department_id, *counts in read(statement, values):
        for days, count in zip(windows, counts, strict=True):
            found[(department_id, days)] = int(count or 0)
    return found


_PUBLISHED = (  # only what is drawn and the audience (a body can be long)
    select(
        Article.id,
        Article.slug,
        Article.title,
        Article.audience,
        Article.views,
        Article.helpful_yes,
        Article.helpful_no,
    )
    .where(
        Article.department_id == bindparam("department_id"),
        Article.status == ArticleStatus.PUBLISHED,
    )
    .order_by(Article.views.desc(), Article.title)
)
_DEFLECTED_BY_ARTICLE = (
    select(Deflection.article_id, func.count())
    .where(Deflection.article_id.in_(bindparam("ids", expanding=True)))
    .group_by(Deflection.article_id)
)


def department_help(
    department: DepartmentOrPlain,
    viewer: User | None,
    windows: tuple[int, ...],
    now=None,
    *,
    writes: bool | None = None,
) -> DepartmentHelp:
    """`writes`: whether the viewer may write the department's articles, when the caller
    knows it already (`may_write_holding` over the header's rows); read here otherwise."""
    counts = deflections_in([department.id], windows, now)
    if writes is None:
        writes = may_write(viewer, department)
    articles = [
        a
        for a in read(_PUBLISHED, {"department_id": department.id})
        if may_read(viewer, a, writer=writes)
    ][:LISTED]
    per_article = (
        dict(read(_DEFLECTED_BY_ARTICLE, {"ids": [a.id for a in articles]}).all())
        if articles
        else {}
    )
    return DepartmentHelp(
        {days: counts.get((department.id, days), 0) for days in windows},
        [
            ArticleFigure(a, a.views, a.helpful_yes, a.helpful_no, per_article.get(a.id, 0))
            for a in articles
        ],
    )


@dataclass(frozen=True)
class MostRead:
    title: str
    slug: str
    reads: int
    department_slug: str
    department_name: str


@dataclass(frozen=True)
class PortalHelp:
    deflections: dict[int, int]  # department_id -> questions answered in the last 30 days
    helpful: dict[int, tuple[int, int]]  # department_id -> (yes, all answers)
    most_read: list[MostRead]  # articles open to everyone, most read first

    @property
    def department_ids(self) -> set[int]:
        """The departments with articles or deflections to show."""
        return set(self.deflections) | set(self.helpful)


def portal_help(now=None, days: int = 30) -> PortalHelp:
    counts = deflections_in(None, (days,), now)
    helpful = {
        department_id: (int(yes or 0), int(yes or 0) + int(no or 0))
        for department_id, yes, no in db.session.execute(
            select(
                Article.department_id,
                func.sum(Article.helpful_yes),
                func.sum(Article.helpful_no),
            )
            .where(Article.status == ArticleStatus.PUBLISHED)
            .group_by(Article.department_id)
        )
    }
    most_read = [
        MostRead(*row)
        for row in db.session.execute(
            select(Article.title, Article.slug, Article.views, Department.slug, Department.name)
            .join(Department, Department.id == Article.department_id)
            .where(
                Article.status == ArticleStatus.PUBLISHED,
                Article.audience == ArticleAudience.EVERYONE,
                Article.views > 0,
                Department.active,
            )
            .order_by(Article.views.desc(), Article.title)
            .limit(MOST_READ)
        )
    ]
    return PortalHelp(
        {department_id: n for (department_id, _days), n in counts.items()},
        helpful,
        most_read,
    )
