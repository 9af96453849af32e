"""Helpdesk adapters: each vendor's payload formats (webhooks, history exports) turned into the project's own
tickets and events (core.tickets), and its REST API for writing the score back (`writeback/`). Pure but for
`cli.py` (reads exports, writes histories) and `writeback/` (HTTP to the helpdesk).
A ticket's id is `{vendor}-{the helpdesk's ticket id}` (zendesk-35436, freshdesk-12, zammad-7)."""
