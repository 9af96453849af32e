"""Request body size limit, as plain ASGI middleware: a declared Content-Length over the limit is refused
before reading, and a streamed body (chunked, no Content-Length) is cut off as soon as it passes the limit.
Either way: 413 naming the limit, also when the app caught the cut-off and answered for it itself (FastAPI
turns any failure to read a body into its own 400)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, int(declared))
            return
        seen = 0
        started = exceeded = False

        async def limited() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if exceeded:  # whatever the app answers for a body it could not read, the answer is 413
                if not started and message["type"] == "http.response.start":
                    started = True
                    await self._refuse(send, None)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, None)

    async def _refuse(self, send: Send, size: int | None) -> None:
        """`size`: the declared Content-Length; None for a streamed body cut off past the limit."""
        got = f"{size} bytes" if size is not None else f"more than {self.max_bytes} bytes (streamed)"
        body: dict[str, Any] = {
            "error": "payload_too_large",
            "detail": f"body: {got}; at most {self.max_bytes} bytes are accepted (serving.max_body_bytes) — "
            "send fewer events per request",
        }
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


def invalid_json(document: str | bytes, position: int, error: str) -> str:
    """Where a body stops being JSON: line and column (1-based) of the character at `position`."""
    text = document.decode("utf-8", "replace") if isinstance(document, bytes) else document
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"body: invalid JSON at line {line}, column {column} (character {position}): {error}"


def unreadable_body(cause: BaseException) -> str:
    """Why a body that is no JSON error could not be read (its content is not repeated)."""
    if isinstance(cause, UnicodeDecodeError):
        return f"body: not UTF-8 at byte {cause.start}; send JSON encoded as UTF-8"
    if isinstance(cause, RecursionError):
        return "body: nested too deeply to read; JSON bodies nest a few levels (extra fields: 5 at most)"
    return f"body: could not be read as JSON ({type(cause).__name__}); send UTF-8 JSON with numbers of " \
        "at most 4300 digits"


def not_json(content_type: str | None) -> str:
    """A body FastAPI left unread: its content type is not JSON (curl's `-d` sends a form's)."""
    return f"body: not read as JSON: its Content-Type is {content_type or 'missing'}; send JSON with the " \
        "header Content-Type: application/json"
