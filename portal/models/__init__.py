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
from portal.models.feedback import Suggestion, SuggestionStatus, SuggestionVote
from portal.models.list_stamps import ListStamp
from portal.models.notify import Notification, OutboxChannel, OutboxMessage, OutboxStatus
from portal.models.recognition import (
    AddOn,
    CompanyValue,
    Reaction,
    ReactionKind,
    Recognition,
    RecognitionDepartment,
    RecognitionMention,
    RecognitionRecipient,
    Report,
    Spotlight,
    Visibility,
)
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
    "AddOn",
    "CompanyValue",
    "Reaction",
    "ReactionKind",
    "Recognition",
    "RecognitionDepartment",
    "RecognitionMention",
    "RecognitionRecipient",
    "Report",
    "Spotlight",
    "Visibility",
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
    "ListStamp",
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
