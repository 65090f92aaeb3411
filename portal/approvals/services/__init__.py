"""One use case per module: routing (who decides), asking (the filing gate), deciding,
links (signed single-use links), waiting (my approvals, the request page's panel),
handing_on (delegate, reassign), reminders (the cron job), steps (the form builder's)."""
