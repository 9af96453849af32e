"""`Http`: the least HTTP/1.1 client `bench_load.py` needs, on asyncio streams with kept-alive connections.
The client shares the machine's cores with the server, so it must cost little per request: httpx's async
pool scanned its connections on every request and, once a slow server had a few hundred open, the client fell
behind its own schedule (requests sent seconds late), which would have been charged to the server."""

from __future__ import annotations

import asyncio
import json
from typing import Any


class Http:
    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def request(self, method: str, path: str, headers: dict[str, str], body: Any = None) -> int:
        """The answer's status; the body is read and dropped. Raises TimeoutError or OSError."""
        return await asyncio.wait_for(self._request(method, path, headers, body), self.timeout)

    async def _request(self, method: str, path: str, headers: dict[str, str], body: Any) -> int:
        try:
            return await self._exchange(method, path, headers, body, reuse=True)
        except ConnectionError:  # a kept-alive connection the server had closed (its keep-alive timeout)
            return await self._exchange(method, path, headers, body, reuse=False)

    async def _exchange(self, method: str, path: str, headers: dict[str, str], body: Any, reuse: bool) -> int:
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(data)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append("Content-Type: application/json")
        if reuse and self._idle:
            reader, writer = self._idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
            first = (await reader.readline()).split()
            if not first:
                raise ConnectionResetError("the server closed the connection")
            status = int(first[1])
            length, chunked, close = 0, False, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding" and "chunked" in value:
                    chunked = True
                elif name == "connection" and value == "close":
                    close = True
            if chunked:
                while size := int((await reader.readline()).strip(), 16):
                    await reader.readexactly(size + 2)
                await reader.readline()
            elif length:
                await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if close:
            writer.close()
        else:
            self._idle.append((reader, writer))
        return status

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()
