"""value chain: declared links, observed flows, company goals and their contributions

Revision ID: 0024_value_chain
Revises: 0023_guests
Create Date: 2026-12-06 10:00:00

`chain_link`: a department serves another (or external customers, client_id NULL), declared
by a manager with one line of why. `chain_flow`: the observed links per asking → serving
department and window, rebuilt by `flask insights refresh`. `company_goal` and
`goal_contribution`: goals admins publish and the services that serve them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_value_chain"
down_revision = "0023_guests"
branch_labels = None
depends_on = None


def _department_fk(table: str, column: str):
    return sa.ForeignKeyConstraint(
        [column],
        ["department.id"],
        name=op.f(f"fk_{table}_{column}_department"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "chain_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _department_fk("chain_link", "server_id"),
        _department_fk("chain_link", "client_id"),
        _department_fk("chain_link", "declared_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_link")),
        sa.UniqueConstraint(
            "server_id", "client_id", name=op.f("uq_chain_link_server_id_client_id")
        ),
    )
    op.create_index("ix_chain_link_client", "chain_link", ["client_id", "server_id"])
    op.create_table(
        "chain_flow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("asking_id", sa.Integer(), nullable=False),
        sa.Column("serving_id", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("within_promise", sa.Integer(), nullable=False),
        sa.Column("median_minutes", sa.Integer(), nullable=True),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("rating_count", sa.Integer(), nullable=False),
        _department_fk("chain_flow", "asking_id"),
        _department_fk("chain_flow", "serving_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_flow")),
    )
    op.create_index(
        "uq_chain_flow", "chain_flow", ["window_days", "asking_id", "serving_id"], unique=True
    )
    op.create_index("ix_chain_flow_serving", "chain_flow", ["serving_id", "window_days"])
    op.create_table(
        "company_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_company_goal_owner_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_goal")),
    )
    op.create_table(
        "goal_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("how", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["company_goal.id"],
            name=op.f("fk_goal_contribution_goal_id_company_goal"),
            ondelete="CASCADE",
        ),
        _department_fk("goal_contribution", "department_id"),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_goal_contribution_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_contribution")),
        sa.UniqueConstraint(
            "goal_id",
            "department_id",
            "service_id",
            name=op.f("uq_goal_contribution_goal_id_department_id_service_id"),
        ),
    )
    op.create_index("ix_goal_contribution_department", "goal_contribution", ["department_id"])


def downgrade():
    op.drop_table("goal_contribution")
    op.drop_table("company_goal")
    op.drop_index("ix_chain_flow_serving", table_name="chain_flow")
    op.drop_index("uq_chain_flow", table_name="chain_flow")
    op.drop_table("chain_flow")
    op.drop_index("ix_chain_link_client", table_name="chain_link")
    op.drop_table("chain_link")
