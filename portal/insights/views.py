"""Insights pages: a department's public scorecard, the portal overview and the managers'
CSV exports. Thin views over scorecard.py, overview.py and export.py."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user

from portal import layout
from portal.core import clock, policy
from portal.core.errors import NotFound
from portal.directory import search_gaps
from portal.directory import services as directory_services
from portal.htmx import is_htmx, render
from portal.insights import (
    approval_time,
    charts,
    customer_groups,
    export,
    help_figures,
    overview,
    scorecard,
)
from portal.knowledge.services.access import may_write_holding

bp = Blueprint("insights", __name__)


@bp.app_context_processor
def _insights_globals():
    return {
        "scorecard_strip": overview.strip_for,
        "minutes_words": scorecard.minutes_words,
        "share_words": scorecard.share_words,
        "trend_words": overview.TREND_WORDS,
        "trend_icons": overview.TREND_ICONS,
    }


def _department_or_404(slug: str):
    department = directory_services.get_department(slug)
    if department is None:
        raise NotFound
    return department


@bp.get("/d/<slug>/scorecard")
def department_scorecard(slug: str):
    department = directory_services.plain_department(slug)  # drawn and measured, not written
    if department is None:
        raise NotFound
    days = request.args.get("days", type=int)
    if days not in scorecard.WINDOWS:
        days = scorecard.WINDOWS[0]
    now = clock.now()
    card = scorecard.scorecard(department, now)
    role = layout.reader_role_in(department.id)  # from the header's rows, read with sign-in
    return render(
        "insights/scorecard.html",
        "scorecard_window",
        card=card,
        days=days,
        window=card.window(days),
        charts=charts.weekly_charts(card),
        can_export=policy.manages_holding(current_user, role),
        help=help_figures.department_help(
            department,
            current_user,
            scorecard.WINDOWS,
            now,
            writes=may_write_holding(current_user, role),
        ),
        groups=customer_groups.customer_groups_at(department, days, now, card.refreshed_at),
        approval_waits=approval_time.waits_at(
            department, scorecard.WINDOWS, now, card.refreshed_at
        ),
    )


@bp.get("/insights")
def portal_overview():
    sort = request.args.get("sort", "name")
    rows = overview.overview(sort)
    if is_htmx():  # a new sort: only the table is drawn, so nothing else is read
        return render("insights/overview.html", "overview_table", rows=rows, sort=rows.sort)
    return render(
        "insights/overview.html",
        rows=rows,
        sort=rows.sort,
        misses=search_gaps.portal_gaps(),
        help=help_figures.portal_help(),
    )


def _csv(name: str, text: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/d/<slug>/scorecard.csv")
def scorecard_csv(slug: str):
    department = _department_or_404(slug)
    if not export.can_export(current_user, department):
        raise NotFound
    return _csv(f"{department.slug}-scorecard.csv", export.scorecard_csv(department))


@bp.get("/d/<slug>/requests.csv")
def requests_csv(slug: str):
    department = _department_or_404(slug)
    if not export.can_export(current_user, department):
        raise NotFound
    return _csv(f"{department.slug}-requests.csv", export.requests_csv(department))
