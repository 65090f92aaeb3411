"""deflections: a request form closed by "This answered my question"

Revision ID: 0016_deflections
Revises: 0015_scorecard_by_day
Create Date: 2026-12-06 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_deflections'
down_revision = '0015_scorecard_by_day'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'knowledge_deflection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('form_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['article_id'], ['knowledge_article.id'], ondelete='CASCADE',
            name=op.f('fk_knowledge_deflection_article_id_knowledge_article')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE',
                                name=op.f('fk_knowledge_deflection_service_id_service')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_knowledge_deflection_department_id_department')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_knowledge_deflection_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_deflection')),
        sa.UniqueConstraint('form_token', name='uq_deflection_form'),
    )
    op.create_index(op.f('ix_knowledge_deflection_article_id'), 'knowledge_deflection',
                    ['article_id'])
    op.create_index('ix_deflection_department_created', 'knowledge_deflection',
                    ['department_id', 'created_at'])


def downgrade():
    op.drop_table('knowledge_deflection')
