"""All models, imported here so Alembic sees one metadata."""
from portal.models.accounts import Membership, MembershipRole, User
from portal.models.admin import DepartmentSlugRedirect, OrgImportUpload, ReportingLine
from portal.models.audit import AuditEntry
from portal.models.directory import (
    Closure,
    Contact,
    Department,
    OpeningHours,
    Priority,
    ResponseStandard,
    Service,
)
from portal.models.feedback import (
    CheckIn,
    CheckInAnswer,
    CheckInInvite,
    RatingInvite,
    SatisfactionRating,
    Suggestion,
    SuggestionStatus,
    SuggestionVote,
)
from portal.models.insights import InsightFlag, InsightsState, RequestMeasure, ScorecardDay
from portal.models.notify import Notification, OutboxChannel, OutboxMessage, OutboxStatus
from portal.models.requests import (
    OPEN_STATUSES,
    EventKind,
    FieldKind,
    RequestAttachment,
    RequestEvent,
    RequestField,
    RequestStatus,
    ServiceRequest,
)
from portal.models.search import SearchDocument, SearchMiss

__all__ = [
    "CheckIn",
    "CheckInAnswer",
    "CheckInInvite",
    "InsightFlag",
    "InsightsState",
    "RatingInvite",
    "RequestMeasure",
    "SatisfactionRating",
    "ScorecardDay",
    "Suggestion",
    "SuggestionStatus",
    "SuggestionVote",
    "OPEN_STATUSES",
    "EventKind",
    "FieldKind",
    "RequestAttachment",
    "RequestEvent",
    "RequestField",
    "RequestStatus",
    "ServiceRequest",
    "AuditEntry",
    "DepartmentSlugRedirect",
    "OrgImportUpload",
    "ReportingLine",
    "Closure",
    "Contact",
    "Department",
    "Membership",
    "MembershipRole",
    "Notification",
    "OpeningHours",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxStatus",
    "Priority",
    "ResponseStandard",
    "SearchDocument",
    "SearchMiss",
    "Service",
    "User",
]
