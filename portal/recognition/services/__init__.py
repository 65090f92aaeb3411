"""The recognition wall's use cases, one module each (import the module you need):

- visibility: who sees which post, who may change it;
- values: the company values and their administration;
- recipients: the recipients box, its type-ahead and what it starts with;
- posting: post, edit, delete a thanks;
- reactions: reactions and add-ons;
- moderation: reports, moderation, hiding a post from one's profile;
- feed: filters, pages of the feed, the thanks other pages include;
- cards: what a card shows, read for a page of cards at once (a card's body as plain values);
- highlights: a department's month, the spotlight, "not thanked in a while".

Views call these; nothing here reads flask.request. Refusals are `portal.core.errors`'
`Refused` (with the field) and `NotFound` (404)."""
