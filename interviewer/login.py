"""Login checks for Gradio's auth: salted PBKDF2 hashes only, the same cost for unknown names, and guessing slowed.

Every failure costs the client a delay; after `max_failures` failures for one user name, or `client_failures`
from one client address, within `window_s`, that name or address is locked out for `lockout_s` (doubling with
each lockout, at most `max_lockout_s`), the right password included. The counts live in this process: with
several app processes behind a load balancer each keeps its own, so a guesser gets that many times the
attempts (pin clients to a process, or put a rate limit in the proxy).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

# The client address of the request being handled, set by RememberClient (Gradio's auth callable gets no request).
CLIENT: ContextVar[str] = ContextVar("login_client", default="unknown")

ITERATIONS = 100_000


def derive(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    lockouts: int = 0


class LoginGuard:
    """Gradio's `auth=` is `guard.login`: a coroutine function (Gradio awaits only what `inspect` says is one; a
    callable object with an async `__call__` would be called without awaiting, and its coroutine taken as True)."""

    def __init__(
        self,
        pairs: list[tuple[str, str]],
        max_failures: int = 5,
        client_failures: int = 20,
        window_s: float = 900.0,
        lockout_s: float = 60.0,
        max_lockout_s: float = 900.0,
        failure_delay_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._stored = {}
        for user, password in pairs:
            salt = os.urandom(16)
            self._stored[user] = (salt, derive(password, salt))
        self._dummy = (os.urandom(16), os.urandom(32))  # checked for unknown names: the same work, never a match
        self._limits = {"user": max_failures, "client": client_failures}
        self._window_s, self._lockout_s, self._max_lockout_s = window_s, lockout_s, max_lockout_s
        self._failure_delay_s = failure_delay_s
        self._clock = clock
        self._records: dict[tuple[str, str], _Record] = {}
        self._lock = threading.Lock()

    async def login(self, user: str, password: str) -> bool:
        keys = [("user", user), ("client", CLIENT.get())]
        if self.locked(keys):
            await asyncio.sleep(self._failure_delay_s)
            return False
        ok = await asyncio.to_thread(self.check, user, password)  # ~80 ms of hashing, off the event loop
        if ok:
            self._forget(keys[0])
            return True
        self._fail(keys)
        await asyncio.sleep(self._failure_delay_s)
        return False

    def check(self, user: str, password: str) -> bool:
        """The password is right: one key derivation whether or not the name exists."""
        salt, expected = self._stored.get(user, self._dummy)
        return hmac.compare_digest(derive(password, salt), expected) and user in self._stored

    def locked(self, keys: list[tuple[str, str]]) -> bool:
        now = self._clock()
        with self._lock:
            return any(self._records.get(k, _Record()).locked_until > now for k in keys)

    def _fail(self, keys: list[tuple[str, str]]) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                record = self._records.setdefault(key, _Record())
                record.failures = [t for t in record.failures if t > now - self._window_s] + [now]
                if len(record.failures) >= self._limits[key[0]]:
                    record.locked_until = now + min(self._max_lockout_s, self._lockout_s * 2**record.lockouts)
                    record.lockouts += 1
                    record.failures = []

    def _forget(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._records.pop(key, None)


class RememberClient:
    """ASGI middleware: makes the client's address known to the auth check of the same request."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            CLIENT.set(scope["client"][0])
        await self.app(scope, receive, send)
