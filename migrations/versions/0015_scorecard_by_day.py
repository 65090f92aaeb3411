"""scorecard_day by day: the insights overview sums every department's recent days

Revision ID: 0015_scorecard_by_day
Revises: 0014_knowledge_articles
Create Date: 2026-12-06 03:40:00

The overview reads the last weeks of every department at once; the only index led with
the department, so each cold overview scanned the whole rollup (372,000 rows in the bench
data). This index leads with the day and carries the summed columns, so the overview reads
only the days it shows and never visits the table.
"""
from alembic import op


revision = '0015_scorecard_by_day'
down_revision = '0014_knowledge_articles'
branch_labels = None
depends_on = None

COLUMNS = ["day", "department_id", "resolved", "first_met", "resolution_met", "rating_sum",
           "rating_count"]


def upgrade():
    op.create_index("ix_scorecard_day_by_day", "scorecard_day", COLUMNS)


def downgrade():
    op.drop_index("ix_scorecard_day_by_day", table_name="scorecard_day")
