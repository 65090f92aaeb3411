"""Guests' use cases: inviting, accepting, sponsoring (extend, end), expiry, listing, import."""
