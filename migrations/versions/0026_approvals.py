"""approvals: a service's approval steps, each request's approval rows

Revision ID: 0026_approvals
Revises: 0025_bundles
Create Date: 2026-12-06 10:00:00

`approval_step`: who approves a service's requests, in order, and when (a condition on an
answer). `request_approval`: one row per approver of a request, with its decision, its
reason and the nonce its e-mailed links carry (cleared by the decision: a link works once).
The request status "approval" (awaiting approval) fits the existing 16-character column.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_approvals"
down_revision = "0025_bundles"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "approval_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("approver_kind", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("approver_department_id", sa.Integer(), nullable=True),
        sa.Column("field_key", sa.String(length=40), nullable=True),
        sa.Column("condition_key", sa.String(length=40), nullable=True),
        sa.Column("condition_op", sa.String(length=4), nullable=True),
        sa.Column("condition_value", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"],
            name=op.f("fk_approval_step_service_id_service"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["user_account.id"],
            name=op.f("fk_approval_step_person_id_user_account"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["approver_department_id"], ["department.id"],
            name=op.f("fk_approval_step_approver_department_id_department"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_step")),
    )
    op.create_index(op.f("ix_approval_step_service_id"), "approval_step", ["service_id"])
    op.create_table(
        "request_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("steps", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("delegated_from_id", sa.Integer(), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["service_request.id"],
            name=op.f("fk_request_approval_request_id_service_request"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["user_account.id"],
            name=op.f("fk_request_approval_approver_id_user_account"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delegated_from_id"], ["user_account.id"],
            name=op.f("fk_request_approval_delegated_from_id_user_account"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_approval")),
        sa.UniqueConstraint("nonce", name=op.f("uq_request_approval_nonce")),
    )
    op.create_index(op.f("ix_request_approval_request_id"), "request_approval", ["request_id"])
    op.create_index(
        "ix_request_approval_approver_decision_asked",
        "request_approval",
        ["approver_id", "decision", "asked_at"],
    )


def downgrade():
    op.drop_index("ix_request_approval_approver_decision_asked", table_name="request_approval")
    op.drop_index(op.f("ix_request_approval_request_id"), table_name="request_approval")
    op.drop_table("request_approval")
    op.drop_index(op.f("ix_approval_step_service_id"), table_name="approval_step")
    op.drop_table("approval_step")
