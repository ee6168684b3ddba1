"""The quarterly digest: gathered once from the store, then written as text, workbook and chart.

gather    everything the digest says, as one frozen Digest (model)
text      the one chat message (the digest chats', /report's), its lists capped
workbook  the .xlsx the office filters and files
chart     the .png it forwards
render    all three at once, off the event loop
outbox    the digest queued for the digest chats, once per quarter and chat

The scheduler's digest, `checkin-bot digest` and /report all go through render, so they say
the same.
"""
