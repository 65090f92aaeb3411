"""search understanding: stemmed index columns, article documents, the synonym list

Revision ID: 0018_search_understanding
Revises: 0017_my_requests_by_status
Create Date: 2026-12-06 07:00:00

search_document gains the stemmed forms of its four fields (`*_terms`, written by
portal/directory/search_text.py: Snowball English stems, folded, separated by spaces) and
`restricted_to` (an article for one department's members only). The full-text index moves
from the raw fields to the stemmed ones, with no stemming or stop words of its own (FTS5
`unicode61`, PostgreSQL `simple`), so both databases see the same tokens. `search_synonym`
is the portal's list of words that mean the same, seeded with a few everyday groups.
"""

import re
import unicodedata
from datetime import datetime, timezone

import snowballstemmer
import sqlalchemy as sa
from alembic import op


revision = "0018_search_understanding"
down_revision = "0017_my_requests_by_status"
branch_labels = None
depends_on = None

FIELDS = ("name", "keywords", "summary", "body")
TERMS = tuple(f"{f}_terms" for f in FIELDS)
OLD_FTS = "kind, name, keywords, summary, body"
NEW_FTS = "kind, " + ", ".join(TERMS)

# Frozen here as seeded on 2026-12-06 (admins edit the list at /admin/synonyms).
SEEDED_SYNONYMS = (
    "leaver leaving resigning resign resignation quitting offboarding",
    "printer print printing",
    "pay payslip salary wages payroll",
    "holiday vacation",
    "laptop notebook computer pc",
    "outlook email mailbox inbox",
    "wifi wireless internet",
    "phone mobile cellphone smartphone",
    "sick ill illness sickness unwell",
    "broken cracked damaged faulty smashed",
    "screen display monitor",
    "nda nondisclosure confidentiality",
    "pension retirement",
    "badge keycard pass",
    "supplier vendor",
    "invoice bill",
    "parcel package delivery",
    "organisation organization",
    "colour color",
    "licence license",
    "centre center",
    "programme program",
    "catalogue catalog",
    "travelling traveling",
    "cancelled canceled",
    "enrol enroll",
)


def _stems(text, stemmer=snowballstemmer.stemmer("english")):
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(stemmer.stemWord(w)[:40] for w in re.findall(r"[^\W_]+", folded))


def _fts_table(columns):
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_document', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    new = "new.id, " + ", ".join(f"new.{c.strip()}" for c in columns.split(","))
    old = "old.id, " + ", ".join(f"old.{c.strip()}" for c in columns.split(","))
    op.execute(
        "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES ({new}); END"
    )
    op.execute(
        "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', {old}); END"
    )
    op.execute(
        "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', {old}); "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES ({new}); END"
    )
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def _drop_sqlite_index():
    for trigger in ("search_document_ai", "search_document_ad", "search_document_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _tsvector(columns, configs):
    weighted = " || ".join(
        f"setweight(to_tsvector('{config}', coalesce({column}, '')), '{weight}')"
        for config in configs
        for column, weight in zip(columns, "ABCD")
    )
    op.execute("DROP INDEX IF EXISTS ix_search_document_document")
    op.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS document")
    op.execute(
        "ALTER TABLE search_document ADD COLUMN document tsvector "
        f"GENERATED ALWAYS AS ({weighted}) STORED"
    )
    op.execute("CREATE INDEX ix_search_document_document ON search_document USING gin (document)")


def _fill_terms():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, keywords, summary, body FROM search_document"))
    update = sa.text(
        "UPDATE search_document SET "
        + ", ".join(f"{t} = :{t}" for t in TERMS)
        + " WHERE id = :id"
    )
    values = [
        {"id": row[0], **{t: _stems(v) for t, v in zip(TERMS, row[1:])}} for row in rows
    ]
    if values:
        bind.execute(update, values)


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_index()
    with op.batch_alter_table("search_document") as batch:
        for column in TERMS:
            batch.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("restricted_to", sa.Integer(), nullable=True))
    _fill_terms()
    if sqlite:
        _fts_table(NEW_FTS)
    else:
        _tsvector(TERMS, ("simple",))
    synonym = op.create_table(
        "search_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("words", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym")),
        sa.UniqueConstraint("words", name=op.f("uq_search_synonym_words")),
    )
    now = datetime.now(timezone.utc)
    op.get_bind().execute(
        synonym.insert(),
        [{"words": words, "created_at": now, "updated_at": now} for words in SEEDED_SYNONYMS],
    )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_table("search_synonym")
    if sqlite:
        _drop_sqlite_index()
    with op.batch_alter_table("search_document") as batch:
        for column in (*TERMS, "restricted_to"):
            batch.drop_column(column)
    if sqlite:
        _fts_table(OLD_FTS)
    else:
        _tsvector(FIELDS, ("english", "simple"))
