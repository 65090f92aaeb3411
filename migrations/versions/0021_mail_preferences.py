"""mail preferences: kinds of e-mail a person turned off; what the team mailbox gets

Revision ID: 0021_mail_preferences
Revises: 0020_api_tokens
Create Date: 2026-12-06 07:50:00

A person gets every kind unless a `mail_opt_out` row says otherwise; a department's team
mailbox gets the kinds in `department.team_mail_kinds` (none by default).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_mail_preferences"
down_revision = "0020_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_opt_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_mail_opt_out_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_mail_opt_out")),
    )
    with op.batch_alter_table("department") as batch:
        batch.add_column(
            sa.Column("team_mail_kinds", sa.String(length=400), nullable=False, server_default="")
        )


def downgrade():
    with op.batch_alter_table("department") as batch:
        batch.drop_column("team_mail_kinds")
    op.drop_table("mail_opt_out")
