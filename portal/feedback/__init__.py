"""Listening to internal customers: satisfaction ratings, check-ins and suggestion pages.

The blueprint lives in `views.py` (not here) so that the request area can call
`portal.feedback.ratings` without importing any view."""
