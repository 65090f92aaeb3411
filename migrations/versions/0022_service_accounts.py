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
    # A plain ADD COLUMN (SQLite and PostgreSQL both take one with a constant default): a
    # batch would copy user_account, and SQLite would check every foreign key that points at
    # it (a million requests: minutes) when it drops the old table.
    op.add_column(
        "user_account",
        sa.Column("is_service", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("is_service")
