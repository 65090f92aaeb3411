"""service accounts: a user_account row that only API tokens act as

Revision ID: 0022_service_accounts
Revises: 0021_mail_preferences
Create Date: 2026-12-06 10:00:00

A service account (portal/admin/service_accounts.py) is a person-like row with one department
membership (the role it acts with) and tokens; `is_service` keeps it out of sign-in, sessions,
the org import, people search and e-mail.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_service_accounts"
down_revision = "0021_mail_preferences"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("is_service", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("is_service")
