"""Chat models behind one small interface: LangChain ChatOpenAI (any OpenAI-compatible base_url) or the stub.

Structured output is requested as JSON in the prompt and parsed here, the same way for every model, so the
stub exercises exactly the parsing, retry and fallback code that a real model goes through.
"""

from __future__ import annotations

import json
import os
import re
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from interviewer.config import Settings
from interviewer.errors import LLMError, LLMRateLimited, LLMTimeout, LLMUnreachable, SetupError

T = TypeVar("T", bound=BaseModel)
Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


class ChatModel(Protocol):
    """Anything that turns messages into a reply text within a timeout."""

    name: str

    def complete(self, messages: list[Message], timeout_s: float) -> str: ...


# ---------------------------------------------------------------- stub


@dataclass(frozen=True)
class Delay:
    """A scripted reply that arrives after `seconds` (or times out if that exceeds the call's timeout)."""

    seconds: float
    reply: str = ""


Scripted = str | BaseModel | dict | Exception | Delay


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


# ---------------------------------------------------------------- OpenAI / compatible through LangChain


class LangChainChatModel:
    """ChatOpenAI at temperature 0; retries are ours (bounded), not the client's."""

    def __init__(self, settings: Settings):
        from langchain_openai import ChatOpenAI

        self.name = f"llm:{settings.llm_model}"
        self._client = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",
            temperature=0,
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )

    def complete(self, messages: list[Message], timeout_s: float) -> str:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        prompt = [kinds[m.role](content=m.content) for m in messages]
        box: dict[str, object] = {}
        done = threading.Event()

        def call() -> None:
            try:
                box["reply"] = self._client.invoke(prompt, timeout=timeout_s)
            except Exception as exc:  # openai raises many types; all mean "no usable reply"
                box["error"] = exc
            finally:
                done.set()

        # httpx's timeouts are per read: a server trickling bytes never trips them, so the deadline is ours.
        threading.Thread(target=call, name="llm-call", daemon=True).start()
        if not done.wait(timeout_s):
            raise LLMTimeout(f"timed out after {timeout_s:g}s")
        if "error" in box:
            failure = box["error"]
            raise _failure_type(failure)(_describe(failure), retry_after=_retry_after(failure)) from failure
        content = box["reply"].content
        if isinstance(content, list):
            content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
        return str(content)


def _failure_type(exc: Exception) -> type[LLMError]:
    """The typed failure an OpenAI client error is (by its class, never by the words of its message)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):  # a subclass of APIConnectionError: first
        return LLMTimeout
    if isinstance(exc, openai.APIConnectionError):
        return LLMUnreachable
    if isinstance(exc, openai.RateLimitError):
        return LLMRateLimited
    return LLMError


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    try:
        return float(response.headers["retry-after"]) if response is not None else None
    except (KeyError, TypeError, ValueError):
        return None


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


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    kind = type(exc).__name__
    if status:
        return f"{kind} (HTTP {status})"
    text, root = str(exc), _root_cause(exc)
    if root and root not in text:  # "Connection error." says less than the socket's "Connection refused"
        text = f"{text.rstrip('.')}: {root}" if text else root
    return f"{kind}: {text[:120]}" if text else kind


def _root_cause(exc: BaseException) -> str:
    """The innermost error's text (an OSError's without its errno), or "" when the error has no cause."""
    inner = exc
    for _ in range(10):  # a chain is short; the bound only guards against a cycle
        nxt = inner.__cause__ or inner.__context__
        if nxt is None:
            break
        inner = nxt
    if inner is exc:
        return ""
    return str(getattr(inner, "strerror", None) or inner)[:80]


def get_model(name: str, settings: Settings) -> ChatModel | None:
    """`offline` (no model), `stub`, `openai[:MODEL]`, or an http(s) base URL of a compatible server."""
    if name == "offline":
        return None
    if name == "stub":
        return StubChatModel()
    if name == "openai" or name.startswith("openai:"):
        model = name.partition(":")[2] or settings.llm_model
        if not settings.llm_api_key:
            raise SetupError("no API key: set INTERVIEWER_LLM_API_KEY or OPENAI_API_KEY to use an OpenAI model")
        return _guarded(LangChainChatModel(settings.model_copy(update={"llm_model": model})))
    if name.startswith(("http://", "https://")):
        return _guarded(LangChainChatModel(settings.model_copy(update={"llm_base_url": name})))
    raise SetupError(f"unknown model {name!r}: use offline, stub, openai[:MODEL] or a base URL")


def model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when the product runs offline."""
    return _guarded(LangChainChatModel(settings)) if settings.llm_enabled else None


def _guarded(model: LangChainChatModel) -> CircuitBreaker:
    """Under tests, real model classes may only reach loopback servers; every real model gets a breaker."""
    if os.environ.get("INTERVIEWER_TESTING") == "1":
        base = str(getattr(model._client, "openai_api_base", "") or "")
        if not re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", base):
            raise LLMError("real chat models are disabled under tests (only loopback servers are allowed)")
    return CircuitBreaker(model)


# ---------------------------------------------------------------- prompts and structured calls


def render_prompt(prompt_dir: Path, name: str, **values: str) -> str:
    """Render prompts/NAME.md; `$placeholders` must all be provided (a missing one is an error)."""
    path = prompt_dir / f"{name}.md"
    try:
        template = string.Template(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SetupError(f"prompt file {path} is missing: reinstall or restore prompts/") from exc
    try:
        return template.substitute(values)
    except KeyError as exc:
        raise SetupError(f"prompt {name}.md needs a value for ${exc.args[0]}") from None


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


def parse_json_reply(reply: str, schema: type[T]) -> T:
    """Parse a model's reply into `schema`; tolerate code fences and prose around one JSON object."""
    text = _FENCE.sub("", reply.strip())
    if not text:
        raise LLMError("empty reply")
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise LLMError("reply is not JSON")
    try:
        return schema.model_validate_json(text[start : end + 1])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "reply"
        raise LLMError(f"reply has the wrong shape ({where}: {first['msg']})") from None


def call_structured(
    model: ChatModel,
    messages: list[Message],
    schema: type[T],
    timeout_s: float,
    max_retries: int,
    check: Callable[[T], None] | None = None,
) -> T:
    """Call the model and parse (and `check`) its reply, retrying a bounded number of times within one deadline."""
    deadline = time.monotonic() + timeout_s
    last: LLMError = LLMTimeout(f"no time left for a call within {timeout_s:g}s")
    for attempt in range(max_retries + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            break
        try:
            parsed = parse_json_reply(model.complete(messages, remaining), schema)
            if check is not None:
                check(parsed)
            return parsed
        except LLMError as exc:
            if isinstance(exc, ModelSkipped) and attempt > 0:
                break  # keep this call's own failure, which opened the breaker
            last = exc
            if isinstance(exc, LLMTimeout | ModelSkipped):
                break  # the deadline is spent (or the model is known to be down): a retry could only wait
            if exc.retry_after:
                if exc.retry_after >= deadline - time.monotonic() - 0.05:
                    break  # the server asks us to come back after our own deadline
                time.sleep(exc.retry_after)
    raise last
