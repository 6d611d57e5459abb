"""ASGI middleware of the API: the request body size limit (413 before the endpoint reads anything)."""
from __future__ import annotations

import json
from typing import Any

MAX_BODY = 2 * 1024 * 1024          # bytes a request body may have (413 beyond)


class BodySizeLimit:
    """413 for bodies over ``max_body`` bytes: by Content-Length up front, and by counting the stream
    (chunked uploads or a lying header) while buffering it, before the endpoint sees any of it."""

    def __init__(self, app: Any, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reject(send, 400, "bad Content-Length header")
                    return
                if declared > self.max_body:
                    await self._reject(send, 413, self._reason(declared))
                    return
        method = scope.get("method", "GET")
        if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # buffer the body (at most max_body bytes) before the app sees it; stop reading past the limit
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_body:
                await self._reject(send, 413, self._reason(received, partial=True))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _reason(self, size: int, partial: bool = False) -> str:
        size_text = f"more than {self.max_body} bytes" if partial else f"{size} bytes"
        return f"request body too large: {size_text}; the limit is {self.max_body} bytes ({self.max_body // 1024} KiB)"

    @staticmethod
    async def _reject(send: Any, status: int, reason: str) -> None:
        body = json.dumps({"detail": reason}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


__all__ = ["BodySizeLimit", "MAX_BODY"]
