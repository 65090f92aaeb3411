"""my requests by status: a person's requests per status, newest first, from an index

Revision ID: 0017_my_requests_by_status
Revises: 0016_deflections
Create Date: 2026-12-06 03:40:00

"My requests" reads each group (Needs you, Open, Closed) as one ordered range per status
of (requester_id, status, created_at, id) and of (filed_by_id, ...). These replace the
(requester_id, id) and (filed_by_id, id) indexes, whose leading column they keep.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0017_my_requests_by_status"
down_revision = "0016_deflections"
branch_labels = None
depends_on = None

_COLUMNS = ["status", "created_at", "id"]


def upgrade():
    op.create_index(
        "ix_service_request_requester_status_created",
        "service_request",
        ["requester_id", *_COLUMNS],
        unique=False,
    )
    op.create_index(
        "ix_service_request_filed_by_status_created",
        "service_request",
        ["filed_by_id", *_COLUMNS],
        unique=False,
    )
    op.drop_index("ix_service_request_requester", table_name="service_request")
    op.drop_index("ix_service_request_filed_by", table_name="service_request")


def downgrade():
    op.create_index(
        "ix_service_request_filed_by", "service_request", ["filed_by_id", "id"], unique=False
    )
    op.create_index(
        "ix_service_request_requester", "service_request", ["requester_id", "id"], unique=False
    )
    op.drop_index("ix_service_request_filed_by_status_created", table_name="service_request")
    op.drop_index("ix_service_request_requester_status_created", table_name="service_request")
