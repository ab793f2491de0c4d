"""What the local servers (`migrate proxy`, `migrate emulator`) refuse before a request reaches them.

Both stand in for Segment on a developer's machine or a CI runner, and the proxy spends real
tokens: a web page the developer has open must not be able to drive them (a request carrying an
`Origin` is a browser's, and a `Host` that is not a name the server answers to is DNS rebinding),
one client must not exhaust them (a body over the limit is refused before it is read, a body that
stops arriving is cut off), and a bearer token is only ever a plain printable string. Refusals are
Config-style error bodies, so legacy code reports them as it reported the Config API's errors."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import UsageError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN = re.compile(r"[!-~]{1,4096}")
"""A bearer token: printable ASCII, no space, no line break."""
BEARER = re.compile(r"Bearer ([!-~]{1,4096})")


@dataclass(frozen=True)
class Limits:
    max_body: int = 8 * 1024 * 1024
    """Bytes; Config API bodies are small (a function's code is the largest)."""
    read_timeout: float = 30.0
    """Seconds a request may take to send its headers, or between two parts of its body."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def checked_token(token: str, what: str) -> str:
    """`token` when it can be a bearer token; else a one-line error that never shows it."""
    if not TOKEN.fullmatch(token):
        raise UsageError(f"{what} holds characters no token has (a space or a line break?); it is not shown here")
    return token


def bearer_token(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None (absent or malformed)."""
    for name, value in headers:
        if name.lower() == b"authorization":
            found = BEARER.fullmatch(value.decode("latin-1").strip())
            return found.group(1) if found else None
    return None


async def refuse(send: Send, status: int, message: str, code: int) -> None:
    body = json.dumps({"error": message, "code": code}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Refused(BaseException):
    """Raised from the body stream through the app to the guard; not an `Exception`, so an app's
    catch-all for its own bugs does not turn it into a 500."""


class _TooLarge(_Refused):
    pass


class _Stalled(_Refused):
    pass


class Guard:
    """ASGI middleware in front of a local server: browsers, foreign hosts, oversized and stalled
    bodies refused. `hosts`: the names the server answers to besides loopback (the Segment hosts it
    stands in for, the address it is bound to)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = (), limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        allowed = sorted({*LOOPBACK_NAMES, "[::1]", *hosts})
        self.inner = app
        self.app = TrustedHostMiddleware(self._checked, allowed_hosts=allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"origin" in headers:
            await refuse(send, 403, "requests from a web page are refused by this local server", 7)
            return
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limits.max_body:
            await refuse(send, 413, f"the request body is over {self.limits.max_body} bytes", 3)
            return
        received = 0
        started = False

        async def bounded() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), self.limits.read_timeout)
            except TimeoutError:
                raise _Stalled from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limits.max_body:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.inner(scope, bounded, tracked)
        except _Stalled:
            if not started:
                await refuse(send, 408, f"the request body stopped arriving for {self.limits.read_timeout:g} s", 4)
        except _TooLarge:
            if not started:
                await refuse(send, 413, f"the request body is over {self.limits.max_body} bytes", 3)
