"""The chat model interface every model (the stub, LangChain's ChatOpenAI, the breaker) implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


class ChatModel(Protocol):
    """Anything that turns messages into a reply text within a timeout."""

    name: str

    def complete(self, messages: list[Message], timeout_s: float) -> str: ...
