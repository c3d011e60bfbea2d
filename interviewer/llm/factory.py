"""Which chat model to use: from the settings, or by name on the command line; every real one behind a breaker."""

from __future__ import annotations

import re

from interviewer.config import Settings
from interviewer.errors import LLMError, SetupError
from interviewer.llm.breaker import CircuitBreaker
from interviewer.llm.models import ChatModel
from interviewer.llm.openai_compatible import LangChainChatModel
from interviewer.llm.stub import StubChatModel


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
        return _guarded(LangChainChatModel(settings.model_copy(update={"llm_model": model})), settings)
    if name.startswith(("http://", "https://")):
        return _guarded(LangChainChatModel(settings.model_copy(update={"llm_base_url": name})), settings)
    raise SetupError(f"unknown model {name!r}: use offline, stub, openai[:MODEL] or a base URL")


def model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when the product runs offline."""
    return _guarded(LangChainChatModel(settings), settings) if settings.llm_enabled else None


def _guarded(model: LangChainChatModel, settings: Settings) -> CircuitBreaker:
    """Every real model gets a breaker; with `loopback_only` (the tests) it may only reach a loopback server."""
    if settings.loopback_only and not re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", model.base_url):
        raise LLMError("INTERVIEWER_LOOPBACK_ONLY is set: a real chat model may only reach a loopback server")
    return CircuitBreaker(model)
