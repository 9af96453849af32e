"""`escalation serve`: the API on settings.server.host/port (ESCALATION_SERVER__HOST / __PORT)."""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default=None, help="default: settings.server.host")
@click.option("--port", type=int, default=None, help="default: settings.server.port")
def serve(host: str | None, port: int | None) -> None:
    """Serve the scoring API (migrates the store and loads the models at start-up)."""
    import uvicorn

    from core.settings import get_settings
    from serving.app import create_app

    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.server.host,
        port=port or settings.server.port,
        log_level="info",
        access_log=False,
    )  # access logs would carry ticket ids only; off by default
