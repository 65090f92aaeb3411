"""The API's answers as plain dicts, shaped by portal/api/schemas.py, from what the
services return (no query here)."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from portal.core import clock
from portal.directory.search import Hit
from portal.directory.services import DepartmentPage, DepartmentSummary, Promise
from portal.models import RequestField, ServiceRequest
from portal.sla import Clock


def _instant(at: datetime | None) -> datetime | None:
    return clock.aware(at) if at is not None else None


def promise(one: Promise) -> dict:
    return {
        "priority": one.priority.value,
        "first_response_minutes": one.first_response_minutes,
        "resolution_minutes": one.resolution_minutes,
        "first_response": one.first_response,
        "resolution": one.resolution,
    }


def department(page: DepartmentPage | DepartmentSummary) -> dict:
    dept = page.department
    return {
        "slug": dept.slug,
        "name": dept.name,
        "mission": dept.mission or "",
        "description": dept.description or "",
        "timezone": dept.timezone,
        "open_now": {
            "open": page.status.is_open,
            "headline": page.status.headline,
            "detail": page.status.detail,
            "next_change": _instant(page.status.next_change),
        },
        "hours": [{"weekday": day.weekday, "hours": day.hours} for day in page.week],
        "promises": [promise(one) for one in page.promises],
    }


def form_field(spec: RequestField) -> dict:
    return {
        "key": spec.key,
        "label": spec.label,
        "help_text": spec.help_text or "",
        "kind": spec.kind.value,
        "required": bool(spec.required),
        "options": list(spec.options) if spec.options is not None else None,
        "min_value": spec.min_value,
        "max_value": spec.max_value,
        "show_when_key": spec.show_when_key,
        "show_when_value": spec.show_when_value,
    }


def services(page: DepartmentPage, forms: dict[int, list[RequestField]]) -> dict:
    return {
        "department": page.department.slug,
        "services": [
            {
                "slug": listing.service.slug,
                "name": listing.service.name,
                "summary": listing.service.summary or "",
                "category": category,
                "promises": [promise(listing.promise)] if listing.promise else [],
                "form": [form_field(spec) for spec in forms.get(listing.service.id, [])],
            }
            for category, listings in page.categories
            for listing in listings
        ],
    }


def _hit(hit: Hit) -> dict:
    item, dept = hit.item, hit.department
    if hit.kind == "service":
        title = item.service.name
        path = url_for("directory.service", slug=dept.slug, service_slug=item.service.slug)
    elif hit.kind == "article":
        title, path = item.title, url_for("knowledge.article", dept=dept.slug, slug=item.slug)
    elif hit.kind == "department":
        title, path = item.name, url_for("directory.department", slug=item.slug)
    else:
        title, path = item.name, url_for("accounts.profile", user_id=item.id)
    return {"kind": hit.kind, "title": title, "department": dept.slug if dept else None,
            "path": path}


def search(query: str, hits: list[Hit]) -> dict:
    return {"query": query, "hits": [_hit(hit) for hit in hits]}


def request_row(sr: ServiceRequest, group: str, department_names: dict[int, str]) -> dict:
    return {
        "key": sr.key,
        "title": sr.title,
        "status": sr.status.value,
        "group": group,
        "department": department_names.get(sr.department_id, ""),
        "created_at": _instant(sr.created_at),
        "due_at": _instant(sr.due_at),
    }


def _clock(one: Clock) -> dict:
    return {
        "state": one.state.value,
        "target_minutes": one.target_minutes,
        "elapsed_minutes": round(float(one.elapsed_minutes), 2),
        "due_at": _instant(one.due_at),
        "stopped_at": _instant(one.stopped_at),
    }


def request_detail(sr: ServiceRequest, clocks, state: str) -> dict:
    return {
        "key": sr.key,
        "title": sr.title,
        "description": sr.description,
        "status": sr.status.value,
        "priority": sr.priority.value,
        "department": sr.department.slug,
        "service": sr.service.slug,
        "requester": sr.requester.email,
        "created_at": _instant(sr.created_at),
        "answers": list(sr.answers or []),
        "clock": state,
        "version": sr.version,
        "first_response": _clock(clocks.first_response),
        "resolution": _clock(clocks.resolution),
    }


# --- the wall and the scorecards -----------------------------------------------------------


def _person(user) -> dict:
    return {"id": user.id, "name": user.name, "email": user.email}


def reactions(found) -> list[dict]:
    return [{"kind": kind.value, "count": count, "mine": mine} for kind, count, mine in found]


def recognition(card) -> dict:
    post = card.post
    return {
        "id": post.id,
        "author": _person(card.author),
        "people": [_person(person) for person in card.people],
        "teams": [department.slug for department in card.departments],
        "value": card.value.name,
        "message": post.message,
        "message_html": post.message_html,
        "visibility": post.visibility.value,
        "created_at": _instant(post.created_at),
        "reactions": reactions(card.reactions),
        "addons": post.addon_count,
        "path": f"/wall/{post.id}",
    }


def _figure(one) -> dict:
    return {
        "count": one.count,
        "median_minutes": one.median,
        "p90_minutes": one.p90,
        "within_promise": one.within,
    }


def scorecard(card, window) -> dict:
    return {
        "department": card.department.slug,
        "days": window.days,
        "minutes_are": "business minutes of the department's own hours",
        "refreshed_at": _instant(card.refreshed_at),
        "rows": [
            {
                "priority": row.priority.value if row.priority else None,
                "first_response": _figure(row.delivery.first),
                "resolution": _figure(row.delivery.resolution),
                "rating_average": row.delivery.rating_average,
                "ratings": row.delivery.rating_count,
                "open_now": row.backlog,
            }
            for row in window.rows
        ],
    }
