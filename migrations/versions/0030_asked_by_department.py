"""asked by department: a department's requests in a window with their requesters, from an index

Revision ID: 0030_asked_by_department
Revises: 0029_partner_flows
Create Date: 2026-12-06 18:25:00

The scorecard's "Who asked" counts a department's requests since a day by the requester's
department (or partner organisation). Without an index leading with (department_id,
created_at) it read every request the department ever had (50,000 for the bench's busiest,
119 ms on SQLite) to keep the window's; with the requester in the index too, the window's
rows come from the index alone.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0030_asked_by_department"
down_revision = "0029_partner_flows"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_service_request_department_created_requester",
        "service_request",
        ["department_id", "created_at", "requester_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_service_request_department_created_requester", table_name="service_request")
