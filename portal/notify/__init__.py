"""Notifications: the outbox (e-mail and webhooks, delivered by `flask notify run`) and
in-app notices. Areas call the functions in `portal.notify.outbox`; they add rows to the
caller's transaction and never commit, so a notice exists exactly when its change does."""
