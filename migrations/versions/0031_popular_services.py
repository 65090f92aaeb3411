"""popular services: the home page's most asked-for services from an index

Revision ID: 0031_popular_services
Revises: 0030_asked_by_department
Create Date: 2026-12-06 22:45:00

The home page lists the eight most popular active services on every view. Without an index
in that order (popularity descending, then name) the database sorted every service (5,000
in the bench data) to keep eight; with it, it reads the first eight active ones in order.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0031_popular_services"
down_revision = "0030_asked_by_department"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_service_popularity", "service", [sa.text("popularity DESC"), "name"], unique=False
    )


def downgrade():
    op.drop_index("ix_service_popularity", table_name="service")
