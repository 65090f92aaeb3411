"""request list speed: filed-by index for "my requests", list version stamps

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_service_request_filed_by', 'service_request', ['filed_by_id', 'id'], unique=False
    )
    op.create_table(
        'request_list_stamp',
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_request_list_stamp')),
    )


def downgrade():
    op.drop_table('request_list_stamp')
    op.drop_index('ix_service_request_filed_by', table_name='service_request')
