"""Mail in: a department's mailbox turns mail into requests, and replies to the portal's
e-mails thread back into their request's timeline.

One use case per module: `parsing` (bytes → InboundMail), `classifying` (automatic mail
that must never create or answer anything), `threading_` (which request a reply belongs
to), `reply_text` (the new words only), `taking` (the entry point: one message, one
outcome), `new_requests`, `replies`, `refusals`, `records` (the inbound_message rows),
`mailboxes` (which addresses a department takes mail at), `untaken` (the managers' list),
`imap_fetch` (polling IMAP). Commands in `cli.py`: `flask mail receive | fetch | address`.
"""
