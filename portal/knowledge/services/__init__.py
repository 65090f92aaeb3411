"""Help articles' use cases: access.py (who may read or write which), reading.py (the help
pages), writing.py (new, edit, publish, archive), revisions.py (history, diff, restore),
helpfulness.py ("Was this helpful?"), review.py (articles past their review date)."""
