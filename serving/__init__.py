"""The scoring API: create_app + lifespan, routes, the ticket store and `assess` (docs/api.md)."""
