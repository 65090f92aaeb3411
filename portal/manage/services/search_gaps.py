"""Answer a search that found nothing: add its words to one of the department's services'
keywords, so the next person who types them finds the service (and the gap leaves the
list). Writing an article is the other answer; it is the help area's own form."""

from __future__ import annotations

from dataclasses import fields

from portal.core.errors import NotFound
from portal.directory import search_gaps
from portal.manage.services import catalogue
from portal.manage.services.access import check_manager, service_of
from portal.models import Department, Service, User


def keywords_with(keywords: str, words: str) -> str:
    """The keyword list with `words` added once (compared without case)."""
    known = [k.strip() for k in (keywords or "").split(",") if k.strip()]
    if words.lower() not in {k.lower() for k in known}:
        known.append(words)
    return ", ".join(known)


def add_search_to_keywords(
    actor: User, department: Department, gap_id: int, service_id: int
) -> Service:
    """The gap's words become keywords of the service; the gap is closed in the same
    transaction. NotFound for a gap that is not this department's or another department's
    service; Invalid when the keywords would grow too long."""
    check_manager(actor, department)
    gap = search_gaps.department_gap(department, gap_id)
    if gap is None:
        raise NotFound
    service = service_of(actor, department, service_id)
    change = catalogue.ServiceChange(
        **{f.name: getattr(service, f.name) or "" for f in fields(catalogue.ServiceChange)}
    )
    change.keywords = keywords_with(service.keywords, gap.query)
    catalogue.update_service(
        actor, department, service, change, along_with=lambda: search_gaps.close_gap(gap.id)
    )
    return service
