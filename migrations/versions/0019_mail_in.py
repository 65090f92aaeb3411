"""mail in: inbound addresses, every inbound message seen, IMAP cursors, a reply address

Revision ID: 0019_mail_in
Revises: 0018_search_understanding
Create Date: 2026-12-06 07:10:00

`inbound_message.message_key` is unique: the same message delivered twice, or fetched by two
workers at once, is taken once (the second INSERT fails and its transaction with it).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_mail_in"
down_revision = "0018_search_understanding"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column without a constraint: a plain ALTER TABLE on both databases.
    op.add_column("department", sa.Column("mail_address", sa.String(length=254), nullable=True))
    op.create_table(
        "inbound_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_inbound_address_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_inbound_address_service_id_service"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_address")),
        sa.UniqueConstraint("address", name=op.f("uq_inbound_address_address")),
    )
    op.create_index(op.f("ix_inbound_address_department_id"), "inbound_address", ["department_id"])
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_inbound_message_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_request.id"],
            name=op.f("fk_inbound_message_request_id_service_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint("message_key", name=op.f("uq_inbound_message_message_key")),
    )
    op.create_index(
        "ix_inbound_message_department_outcome",
        "inbound_message",
        ["department_id", "outcome", "id"],
    )
    op.create_index(
        "ix_inbound_message_sender_received", "inbound_message", ["sender", "received_at"]
    )
    op.create_table(
        "imap_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("uid_validity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imap_cursor")),
        sa.UniqueConstraint("source", name=op.f("uq_imap_cursor_source")),
    )


def downgrade():
    op.drop_table("imap_cursor")
    op.drop_index("ix_inbound_message_sender_received", table_name="inbound_message")
    op.drop_index("ix_inbound_message_department_outcome", table_name="inbound_message")
    op.drop_table("inbound_message")
    op.drop_index(op.f("ix_inbound_address_department_id"), table_name="inbound_address")
    op.drop_table("inbound_address")
    with op.batch_alter_table("department") as batch:
        batch.drop_column("mail_address")
