"""Cards dealt from shuffled decks, one deck per key: every card of a key is dealt once
before any repeats, so a few hundred demo rows use all the words written for them."""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

Card = TypeVar("Card")


class Decks(Generic[Card]):
    def __init__(self, rng: random.Random, cards_for: Callable[[Hashable], Sequence[Card]]):
        self.rng, self.cards_for = rng, cards_for
        self.decks: dict[Hashable, list[Card]] = {}

    def deal(self, key: Hashable) -> Card:
        deck = self.decks.get(key)
        if not deck:
            deck = list(self.cards_for(key))
            self.rng.shuffle(deck)
            self.decks[key] = deck
        return deck.pop()
