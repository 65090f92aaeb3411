"""All models, imported here so Alembic sees one metadata."""
from portal.models.accounts import Membership, MembershipRole, User
from portal.models.directory import (
    Closure,
    Contact,
    Department,
    OpeningHours,
    Priority,
    ResponseStandard,
    Service,
)
from portal.models.search import SearchDocument, SearchMiss

__all__ = [
    "Closure",
    "Contact",
    "Department",
    "Membership",
    "MembershipRole",
    "OpeningHours",
    "Priority",
    "ResponseStandard",
    "SearchDocument",
    "SearchMiss",
    "Service",
    "User",
]
