"""check-in results released in batches: released_answers, released_through

Revision ID: 0012_check_in_release
Revises: 0011
Create Date: 2026-12-03 17:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_check_in_release'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_in') as batch:
        batch.add_column(
            sa.Column('released_answers', sa.Integer(), nullable=False, server_default='0')
        )
        batch.add_column(
            sa.Column('released_through', sa.Integer(), nullable=False, server_default='0')
        )
    # What was already shown stays shown: a check-in with 5 or more answers has released them.
    op.execute(
        "UPDATE check_in SET "
        "released_answers = (SELECT count(*) FROM check_in_answer a "
        "WHERE a.check_in_id = check_in.id), "
        "released_through = (SELECT coalesce(max(a.id), 0) FROM check_in_answer a "
        "WHERE a.check_in_id = check_in.id) "
        "WHERE (SELECT count(*) FROM check_in_answer a WHERE a.check_in_id = check_in.id) >= 5"
    )


def downgrade():
    with op.batch_alter_table('check_in') as batch:
        batch.drop_column('released_through')
        batch.drop_column('released_answers')
