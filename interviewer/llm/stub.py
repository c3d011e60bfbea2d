"""The stub chat model: a first-class model for tests and evals, replying from a script or a function."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from interviewer.errors import LLMError, LLMTimeout
from interviewer.llm.models import Message


@dataclass(frozen=True)
class Delay:
    """A scripted reply that arrives after `seconds` (or times out if that exceeds the call's timeout)."""

    seconds: float
    reply: str = ""


Scripted = str | BaseModel | dict[str, Any] | Exception | Delay


@dataclass
class StubChatModel:
    """A first-class chat model for tests and evals: replies from a script, or from a function of the messages.

    It records every call in `sent`, and raises when its script runs out rather than cycling silently.
    """

    script: list[Scripted] = field(default_factory=list)
    respond: Callable[[list[Message]], Scripted] | None = None
    name: str = "stub"
    sent: list[list[Message]] = field(default_factory=list)

    def enqueue(self, *replies: Scripted) -> StubChatModel:
        self.script.extend(replies)
        return self

    def complete(self, messages: list[Message], timeout_s: float) -> str:
        self.sent.append(list(messages))
        if self.script:
            reply = self.script.pop(0)
        elif self.respond is not None:
            reply = self.respond(messages)
        else:
            raise LLMError("stub model: script exhausted (enqueue more replies)")
        if isinstance(reply, Delay):
            if reply.seconds > timeout_s:
                time.sleep(timeout_s)
                raise LLMTimeout(f"timeout after {timeout_s:g}s")
            time.sleep(reply.seconds)
            reply = reply.reply
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, BaseModel):
            return reply.model_dump_json()
        if isinstance(reply, dict):
            return json.dumps(reply)
        return reply
