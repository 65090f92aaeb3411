"""The demo's search history: what colleagues typed into search in the last weeks, run
through the real search, so only what truly finds nothing is counted as a gap ("What
people looked for" on each department's manage page, and on /insights)."""

from __future__ import annotations

from portal.directory import search

# (what was typed, how many times): everyday questions the demo's catalogue does not
# answer yet.
TYPED = [
    ("dentist", 6),
    ("postage", 5),
    ("sabbatical", 4),
    ("webcam", 4),
    ("headset", 3),
    ("grievance", 3),
    ("shredding", 2),
    ("defibrillator", 2),
]


def load_search_history() -> str:
    recorded = 0
    for typed, times in TYPED:
        for _ in range(times):
            found = search.search_directory(typed)  # counts the miss itself (and commits)
        recorded += not (found.services or found.departments or found.people)
    return f"{recorded} searches that found nothing."
