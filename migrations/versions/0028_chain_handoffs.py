"""chain handoffs: how many of an observed link's requests were hand-offs

Revision ID: 0028_chain_handoffs
Revises: 0027_checkups
Create Date: 2026-12-06 14:00:00

`chain_flow.handoffs`: of a link's `asked`, the requests one department set another moving
with (a transfer from the asking department to the serving one, or a bundle child the
asking department's bundle filed with the serving one). Rebuilt by every insights refresh.
`ix_request_event_transfer_at`: the transfers alone, by time (a partial index: a few rows
in a hundred), which that refresh reads.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_chain_handoffs"
down_revision = "0027_checkups"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "chain_flow",
        sa.Column("handoffs", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_request_event_transfer_at",
        "request_event",
        ["at"],
        sqlite_where=sa.text("kind = 'department'"),
        postgresql_where=sa.text("kind = 'department'"),
    )


def downgrade():
    op.drop_index("ix_request_event_transfer_at", table_name="request_event")
    with op.batch_alter_table("chain_flow") as batch:
        batch.drop_column("handoffs")
