"""open requests by creation time: the scorecard's backlog from an index alone

Revision ID: 0013_open_requests_by_creation
Revises: 0012_check_in_release
Create Date: 2026-12-03 20:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_open_requests_by_creation'
down_revision = '0012_check_in_release'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_service_request_department_status_created',
        'service_request',
        ['department_id', 'status', 'created_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_service_request_department_status_created', table_name='service_request')
