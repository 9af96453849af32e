"""Helpdesk adapters: each vendor's payload formats (webhooks, history exports) turned into the project's own
tickets and events (core.tickets). Pure: no I/O beyond `cli.py`, which reads exports and writes histories.
A ticket's id is `{vendor}-{the helpdesk's ticket id}` (zendesk-35436, freshdesk-12, zammad-7)."""
