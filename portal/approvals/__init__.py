"""Approvals (issue 16): who must say yes before a service's department is asked.

The blueprint lives in `views.py` (not here), so that other areas may call the services
without importing any view. `services/asking.py` registers the filing gate with the
request area (`submission.gate_filing`) when it is imported: `portal.create_app` imports
the views, which import it."""
