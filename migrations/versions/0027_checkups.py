"""checkups: a check-in about one "serves" link of the value chain

Revision ID: 0027_checkups
Revises: 0026_approvals
Create Date: 2026-12-06 11:10:00

A relationship check-up is a check-in (same anonymity, same batch release) whose
`served_department_id` names the department it asks; plain check-ins keep it NULL.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_checkups"
down_revision = "0026_approvals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("check_in") as batch:
        batch.add_column(sa.Column("served_department_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_check_in_served_department_id_department", "department", ["served_department_id"], ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_check_in_served_department_id", ["served_department_id"])


def downgrade():
    with op.batch_alter_table("check_in") as batch:
        batch.drop_index("ix_check_in_served_department_id")
        batch.drop_constraint("fk_check_in_served_department_id_department", type_="foreignkey")
        batch.drop_column("served_department_id")
