"""Bundles' use cases: defining.py (a department's managers define them), starting.py
(one form files the children), progress.py (children open, the parent resolves or is
cancelled), reading.py (the parent page), handoffs.py (who set whom moving)."""
