"""partner flows: the value chain's observed links from partners (guests)

Revision ID: 0029_partner_flows
Revises: 0028_chain_handoffs
Create Date: 2026-12-06 14:10:00

`chain_partner_flow`: per serving department and window, the requests partners and vendors
(guests) asked and the resolved ones' figures, rebuilt with `chain_flow` by
`flask insights refresh`. A new table: nothing existing is copied.
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_partner_flows"
down_revision = "0028_chain_handoffs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "chain_partner_flow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("serving_id", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("within_promise", sa.Integer(), nullable=False),
        sa.Column("median_minutes", sa.Integer(), nullable=True),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["serving_id"],
            ["department.id"],
            name=op.f("fk_chain_partner_flow_serving_id_department"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_partner_flow")),
    )
    op.create_index(
        "uq_chain_partner_flow", "chain_partner_flow", ["window_days", "serving_id"], unique=True
    )


def downgrade():
    op.drop_index("uq_chain_partner_flow", table_name="chain_partner_flow")
    op.drop_table("chain_partner_flow")
