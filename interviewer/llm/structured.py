"""Structured calls: a model's reply parsed into a schema, retried a bounded number of times within one deadline.

Structured output is requested as JSON in the prompt and parsed here, the same way for every model, so the
stub exercises exactly the parsing, retry and fallback code that a real model goes through.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from interviewer.errors import LLMError, LLMTimeout
from interviewer.llm.breaker import ModelSkipped
from interviewer.llm.models import ChatModel, Message

T = TypeVar("T", bound=BaseModel)
MIN_CALL_S = 0.05  # less time than this left before the deadline is no time for a call


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
    """Call the model and parse (and `check`) its reply, retrying a bounded number of times within one deadline.

    A timeout is not retried (the deadline is spent), nor a skipped call (the model is known to be down); a
    server's Retry-After is waited for unless it lands past the deadline. The failure raised is the call's own:
    when the breaker skips a retry, the failure that opened it.
    """
    deadline = time.monotonic() + timeout_s
    failures: list[LLMError] = []

    def once() -> T:
        remaining = deadline - time.monotonic()
        if remaining <= MIN_CALL_S:
            raise LLMTimeout(f"no time left for a call within {timeout_s:g}s")
        try:
            parsed = parse_json_reply(model.complete(messages, remaining), schema)
            if check is not None:
                check(parsed)
            return parsed
        except LLMError as exc:
            failures.append(exc)
            raise

    def past_deadline(state: RetryCallState) -> bool:
        return time.monotonic() + (state.upcoming_sleep or 0.0) >= deadline - MIN_CALL_S

    out_of_attempts = stop_after_attempt(max_retries + 1)

    retrying = Retrying(
        retry=retry_if_exception(
            lambda exc: isinstance(exc, LLMError) and not isinstance(exc, LLMTimeout | ModelSkipped)
        ),
        wait=lambda state: _retry_after(state) or 0.0,
        stop=lambda state: out_of_attempts(state) or past_deadline(state),
        reraise=True,
    )
    try:
        return retrying(once)
    except ModelSkipped:
        if len(failures) > 1:  # keep this call's own failure, which opened the breaker
            raise failures[-2] from None
        raise


def _retry_after(state: RetryCallState) -> float | None:
    failure = state.outcome.exception() if state.outcome else None
    return failure.retry_after if isinstance(failure, LLMError) else None
