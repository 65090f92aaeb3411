"""Which words each step of a demo request uses (portal/demo/request_texts.py): the
request itself dealt from its service's shuffled deck, so a service repeats a title only
after all of its titles were used; the desk's replies, questions and resolutions drawn
from the same service's lines (a first reply sometimes a generic one, as a busy desk
sends). A seeded stream of its own: rewriting a line, or adding one, never moves the
history's shape (times, priorities, statuses), which the history's stream draws."""

from __future__ import annotations

import random

from portal.demo.decks import Decks
from portal.demo.request_texts import GENERIC_REPLIES, NOTES, TEXTS

SEED = 23
GENERIC_SHARE = 0.2  # how often a first reply is one of the generic acknowledgements


class RequestWords:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.requests = Decks(self.rng, lambda slug: TEXTS[slug].requests)

    def request(self, service_slug: str) -> tuple[str, str]:
        """The next (title, description) of the service's deck."""
        return self.requests.deal(service_slug)

    def first_reply(self, service_slug: str) -> str:
        if self.rng.random() < GENERIC_SHARE:
            return self.rng.choice(GENERIC_REPLIES)
        return self.rng.choice(TEXTS[service_slug].replies)

    def question(self, service_slug: str) -> tuple[str, str]:
        """What the desk asks back, and what the requester will answer."""
        return self.rng.choice(TEXTS[service_slug].asks)

    def resolution(self, service_slug: str) -> str:
        return self.rng.choice(TEXTS[service_slug].resolutions)

    def note(self) -> str:
        return self.rng.choice(NOTES)
