"""The circuit breaker: after a slow failure, skip the model for a while instead of waiting on it every turn."""

from __future__ import annotations

import threading
import time

from interviewer.errors import LLMError, LLMTimeout, LLMUnreachable
from interviewer.llm.models import ChatModel, Message


class ModelSkipped(LLMError):
    """The breaker is open, so the model was not called; the message is why it opened, and when."""


class CircuitBreaker:
    """After a slow failure (timeout, refused or dropped connection) skip the model for a while: a dead server
    must not cost every turn its full timeout again. Fast errors (429, 5xx, bad replies) are retried as usual.

    While it skips, it says the failure that opened it (a user's first notice may come from a skipped call)."""

    def __init__(self, model: ChatModel, cooldown_s: float = 60.0):
        self.model = model
        self.name = model.name
        self._cooldown_s = cooldown_s
        self._open_until = 0.0
        self._reason = ""
        self._lock = threading.Lock()

    def complete(self, messages: list[Message], timeout_s: float) -> str:
        with self._lock:
            skipping, reason = self._open_until > time.monotonic(), self._reason
        if skipping:
            raise ModelSkipped(reason)
        try:
            return self.model.complete(messages, timeout_s)
        except LLMError as exc:
            if isinstance(exc, LLMTimeout | LLMUnreachable):
                now = time.time()
                since, until = (time.strftime("%H:%M:%S", time.localtime(t)) for t in (now, now + self._cooldown_s))
                with self._lock:
                    self._open_until = time.monotonic() + self._cooldown_s
                    self._reason = f"{exc} (since {since}; retrying after {until})"
            raise
