"""Insights: scorecards, satisfaction, check-ins, suggestions (issue 5)."""
