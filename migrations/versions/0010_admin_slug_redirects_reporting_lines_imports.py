"""department slug redirects, reporting lines and org import uploads

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29 00:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department_slug_redirect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_slug', sa.String(length=64), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_slug_redirect_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_slug_redirect')),
    sa.UniqueConstraint('old_slug', name=op.f('uq_department_slug_redirect_old_slug'))
    )
    with op.batch_alter_table('department_slug_redirect', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_slug_redirect_department_id'), ['department_id'], unique=False)

    op.create_table('reporting_line',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['user_account.id'], name=op.f('fk_reporting_line_manager_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reporting_line_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reporting_line'))
    )
    with op.batch_alter_table('reporting_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporting_line_manager_id'), ['manager_id'], unique=False)

    op.create_table('org_import_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_org_import_upload_uploaded_by_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_import_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_org_import_upload_token'))
    )
    with op.batch_alter_table('org_import_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_import_upload_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('org_import_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_import_upload_uploaded_by_id'))
    op.drop_table('org_import_upload')
    with op.batch_alter_table('reporting_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporting_line_manager_id'))
    op.drop_table('reporting_line')
    with op.batch_alter_table('department_slug_redirect', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_slug_redirect_department_id'))
    op.drop_table('department_slug_redirect')
