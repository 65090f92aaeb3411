"""help articles: knowledge_article, its services, revisions, old addresses and votes

Revision ID: 0014_knowledge_articles
Revises: 0013_open_requests_by_creation
Create Date: 2026-12-03 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_knowledge_articles'
down_revision = '0013_open_requests_by_creation'
branch_labels = None
depends_on = None


def _when(name, nullable=True):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    # /d/<dept>/help is the department's help articles now: a service there moves aside.
    op.execute(
        "UPDATE service SET slug = 'help-service' WHERE slug = 'help' AND NOT EXISTS "
        "(SELECT 1 FROM service other WHERE other.department_id = service.department_id "
        "AND other.slug = 'help-service')"
    )
    op.create_table(
        'knowledge_article',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('keywords', sa.String(length=500), nullable=False),
        sa.Column('audience', sa.Enum('everyone', 'department', name='articleaudience',
                                      native_enum=False, length=16), nullable=False),
        sa.Column('status', sa.Enum('draft', 'published', 'archived', name='articlestatus',
                                    native_enum=False, length=16), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('review_by', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.Column('helpful_yes', sa.Integer(), nullable=False),
        sa.Column('helpful_no', sa.Integer(), nullable=False),
        _when('reviewed_at'),
        _when('published_at'),
        _when('created_at', nullable=False),
        _when('updated_at', nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_knowledge_article_department_id_department')),
        sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'],
                                name=op.f('fk_knowledge_article_owner_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article')),
        sa.UniqueConstraint('department_id', 'slug', name='uq_article_slug'),
    )
    op.create_index(op.f('ix_knowledge_article_department_id'), 'knowledge_article',
                    ['department_id'])
    op.create_index(op.f('ix_knowledge_article_status'), 'knowledge_article', ['status'])

    op.create_table(
        'knowledge_article_service',
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['article_id'], ['knowledge_article.id'], ondelete='CASCADE',
            name=op.f('fk_knowledge_article_service_article_id_knowledge_article')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE',
                                name=op.f('fk_knowledge_article_service_service_id_service')),
        sa.PrimaryKeyConstraint('article_id', 'service_id',
                                name=op.f('pk_knowledge_article_service')),
    )

    op.create_table(
        'knowledge_article_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('keywords', sa.String(length=500), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(
            ['article_id'], ['knowledge_article.id'], ondelete='CASCADE',
            name=op.f('fk_knowledge_article_revision_article_id_knowledge_article')),
        sa.ForeignKeyConstraint(
            ['author_id'], ['user_account.id'],
            name=op.f('fk_knowledge_article_revision_author_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article_revision')),
        sa.UniqueConstraint('article_id', 'number', name='uq_article_revision'),
    )
    op.create_index(op.f('ix_knowledge_article_revision_article_id'),
                    'knowledge_article_revision', ['article_id'])

    op.create_table(
        'knowledge_article_redirect',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('old_slug', sa.String(length=80), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['department_id'], ['department.id'],
            name=op.f('fk_knowledge_article_redirect_department_id_department')),
        sa.ForeignKeyConstraint(
            ['article_id'], ['knowledge_article.id'], ondelete='CASCADE',
            name=op.f('fk_knowledge_article_redirect_article_id_knowledge_article')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article_redirect')),
        sa.UniqueConstraint('department_id', 'old_slug', name='uq_article_redirect'),
    )

    op.create_table(
        'knowledge_article_vote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('missing', sa.Text(), nullable=False),
        _when('created_at', nullable=False),
        _when('updated_at', nullable=False),
        sa.ForeignKeyConstraint(
            ['article_id'], ['knowledge_article.id'], ondelete='CASCADE',
            name=op.f('fk_knowledge_article_vote_article_id_knowledge_article')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_knowledge_article_vote_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article_vote')),
        sa.UniqueConstraint('article_id', 'user_id', name='uq_article_vote'),
    )
    op.create_index(op.f('ix_knowledge_article_vote_article_id'), 'knowledge_article_vote',
                    ['article_id'])


def downgrade():
    op.drop_table('knowledge_article_vote')
    op.drop_table('knowledge_article_redirect')
    op.drop_table('knowledge_article_revision')
    op.drop_table('knowledge_article_service')
    op.drop_table('knowledge_article')
