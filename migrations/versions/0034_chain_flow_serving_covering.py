"""chain flow serving covering: the index by serving department holds the asking one and
how many were asked

Revision ID: 0034_chain_flow_serving_covering
Revises: 0033_department_offer_counts
Create Date: 2026-12-07 20:10:00

A department page's "Who we serve" shows the busiest departments seen asking it and how many
there are in all (portal.chain.services.neighbours). Counted and ranked with window functions,
SQLite read and sorted every flow of the side twice (0.8 ms of the page with 300
departments). As plain subqueries they need the asking department and the count from the
index: with only (serving_id, window_days), SQLite counted from uq_chain_flow instead, every
flow of the window (3.5 ms). With (serving_id, window_days, asking_id, asked) the side's
three statements read this index alone: 0.36 ms for the whole strip.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0034_chain_flow_serving_covering"
down_revision = "0033_department_offer_counts"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_chain_flow_serving", table_name="chain_flow")
    op.create_index(
        "ix_chain_flow_serving",
        "chain_flow",
        ["serving_id", "window_days", "asking_id", "asked"],
    )


def downgrade():
    op.drop_index("ix_chain_flow_serving", table_name="chain_flow")
    op.create_index("ix_chain_flow_serving", "chain_flow", ["serving_id", "window_days"])
