"""guests: partner and vendor contacts, services open to partners

Revision ID: 0023_guests
Revises: 0022_service_accounts
Create Date: 2026-12-06 10:00:00

`user_account.is_guest` marks a guest's account; one `guest` row holds the sponsor, the
organisation, the expiry and the invitation's single-use state; `service.open_to_partners`
says which services guests of the department may request.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_guests"
down_revision = "0022_service_accounts"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs, not batches (see 0022: a batch copies the table and SQLite checks
    # every foreign key pointing at it).
    op.add_column(
        "user_account",
        sa.Column("is_guest", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "service",
        sa.Column("open_to_partners", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "guest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("sponsor_department_id", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("shares_requests", sa.Boolean(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invitation_nonce", sa.String(length=64), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"],
            name=op.f("fk_guest_user_id_user_account"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_department_id"], ["department.id"],
            name=op.f("fk_guest_sponsor_department_id_department"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sponsor_id"], ["user_account.id"],
            name=op.f("fk_guest_sponsor_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guest")),
        sa.UniqueConstraint("user_id", name=op.f("uq_guest_user_id")),
    )
    op.create_index("ix_guest_expires_at", "guest", ["expires_at"])
    op.create_index("ix_guest_organisation", "guest", ["organisation"])
    op.create_index(op.f("ix_guest_sponsor_department_id"), "guest", ["sponsor_department_id"])
    op.create_index(op.f("ix_guest_sponsor_id"), "guest", ["sponsor_id"])


def downgrade():
    op.drop_table("guest")
    with op.batch_alter_table("service") as batch:
        batch.drop_column("open_to_partners")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("is_guest")
