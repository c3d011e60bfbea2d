"""OpenAI or any OpenAI-compatible server through LangChain's ChatOpenAI, its failures typed by their class."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import SecretStr

from interviewer.config import Settings
from interviewer.errors import LLMError, LLMRateLimited, LLMTimeout, LLMUnreachable
from interviewer.llm.models import Message


class LangChainChatModel:
    """ChatOpenAI at temperature 0; retries are ours (bounded), not the client's."""

    def __init__(self, settings: Settings):
        from langchain_openai import ChatOpenAI

        self.name = f"llm:{settings.llm_model}"
        self.base_url = settings.llm_base_url or ""  # "" is OpenAI's own endpoint
        self._client = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=SecretStr(settings.llm_api_key or "not-needed"),
            temperature=0,
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )

    def complete(self, messages: list[Message], timeout_s: float) -> str:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        prompt = [kinds[m.role](content=m.content) for m in messages]
        box: dict[str, Any] = {}
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
