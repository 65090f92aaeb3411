"""directory, people and search

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 16:41:06.580974

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mission', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('chat_channel', sa.String(length=120), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('holiday_country', sa.String(length=2), nullable=True),
    sa.Column('holiday_subdivision', sa.String(length=10), nullable=True),
    sa.Column('accent', sa.String(length=20), nullable=False),
    sa.Column('key_prefix', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('slug', name=op.f('uq_department_slug'))
    )
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('keywords', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('kind', 'ref_id', name=op.f('uq_search_document_kind'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_department_id'), ['department_id'], unique=False)

    op.create_table('search_miss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_miss')),
    sa.UniqueConstraint('query', name=op.f('uq_search_miss_query'))
    )
    op.create_table('department_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_closure_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_closure')),
    sa.UniqueConstraint('department_id', 'day', name=op.f('uq_department_closure_department_id'))
    )
    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('opens < closes', name=op.f('ck_opening_hours_opens_before_closes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_opening_hours_weekday_range')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_opening_hours_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_hours')),
    sa.UniqueConstraint('department_id', 'weekday', 'opens', name=op.f('uq_opening_hours_department_id'))
    )
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('what_to_include', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('keywords', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('popularity', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_service_department_id_department'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('department_id', 'slug', name=op.f('uq_service_department_id'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_department_id'), ['department_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_user_account_department_id_department'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_user_account_session_token'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_department_id'), ['department_id'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('mailbox', sa.String(length=254), nullable=True),
    sa.Column('channel', sa.String(length=120), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('user_id IS NOT NULL OR mailbox IS NOT NULL OR channel IS NOT NULL', name=op.f('ck_contact_person_or_mailbox')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_contact_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_contact_service_id_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_contact_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_user_id'), ['user_id'], unique=False)

    op.create_table('department_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('agent', 'manager', name='membershiprole', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_department_membership_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_department_membership_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_membership')),
    sa.UniqueConstraint('user_id', 'department_id', name=op.f('uq_department_membership_user_id'))
    )
    with op.batch_alter_table('department_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_membership_department_id'), ['department_id'], unique=False)

    op.create_table('response_standard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Enum('low', 'normal', 'high', 'urgent', name='priority', native_enum=False, length=16), nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('first_response_minutes > 0', name=op.f('ck_response_standard_first_response_positive')),
    sa.CheckConstraint('resolution_minutes >= first_response_minutes', name=op.f('ck_response_standard_resolution_after_first')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_response_standard_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_response_standard_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_standard'))
    )
    with op.batch_alter_table('response_standard', schema=None) as batch_op:
        batch_op.create_index('uq_response_standard_department_default', ['department_id', 'priority'], unique=True, sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))
        batch_op.create_index('uq_response_standard_service', ['service_id', 'priority'], unique=True)


    create_full_text_index()

def downgrade():
    drop_full_text_index()
    with op.batch_alter_table('response_standard', schema=None) as batch_op:
        batch_op.drop_index('uq_response_standard_service')
        batch_op.drop_index('uq_response_standard_department_default', sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))

    op.drop_table('response_standard')
    with op.batch_alter_table('department_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_membership_department_id'))

    op.drop_table('department_membership')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_user_id'))
        batch_op.drop_index(batch_op.f('ix_contact_service_id'))
        batch_op.drop_index(batch_op.f('ix_contact_department_id'))

    op.drop_table('contact')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_department_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_department_id'))

    op.drop_table('service')
    op.drop_table('opening_hours')
    op.drop_table('department_closure')
    op.drop_table('search_miss')
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_document_department_id'))

    op.drop_table('search_document')
    op.drop_table('department')


# The full-text index over search_document differs by database: SQLite gets an
# FTS5 table kept in step by triggers; PostgreSQL a weighted tsvector with GIN.
# Weights: name (A) > keywords (B) > summary (C) > description (D).
FTS_COLUMNS = "kind, name, keywords, summary, body"


def create_full_text_index():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            f"{FTS_COLUMNS}, content='search_document', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')"
        )
        new = "new.id, new.kind, new.name, new.keywords, new.summary, new.body"
        old = "old.id, old.kind, old.name, old.keywords, old.summary, old.body"
        op.execute(
            "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
            f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END"
        )
        op.execute(
            "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
            f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', {old}); END"
        )
        op.execute(
            "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
            f"INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS}) VALUES ('delete', {old}); "
            f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES ({new}); END"
        )
    else:
        # Both the stemmed ('english') and the plain ('simple') words: English stems
        # find "payslips" for "payslip", plain words keep what English drops as stop
        # words, such as the department "IT".
        weighted = " || ".join(
            f"setweight(to_tsvector('{config}', coalesce({column}, '')), '{weight}')"
            for config in ("english", "simple")
            for column, weight in (("name", "A"), ("keywords", "B"), ("summary", "C"), ("body", "D"))
        )
        op.execute(
            f"ALTER TABLE search_document ADD COLUMN document tsvector GENERATED ALWAYS AS ({weighted}) STORED"
        )
        op.execute("CREATE INDEX ix_search_document_document ON search_document USING gin (document)")


def drop_full_text_index():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_document_ai", "search_document_ad", "search_document_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_document_document")
        op.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS document")
