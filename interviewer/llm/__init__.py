"""Chat models behind one small interface: LangChain ChatOpenAI (any OpenAI-compatible base_url) or the stub.

models: the interface · stub: the stub model · openai_compatible: ChatOpenAI with typed failures ·
breaker: the circuit breaker · factory: which model to use · prompts: templates · structured: parsed, retried calls
"""

from interviewer.llm.breaker import CircuitBreaker, ModelSkipped
from interviewer.llm.factory import get_model, model_from_settings
from interviewer.llm.models import ChatModel, Message, Role
from interviewer.llm.openai_compatible import LangChainChatModel
from interviewer.llm.prompts import render_prompt
from interviewer.llm.structured import call_structured, parse_json_reply
from interviewer.llm.stub import Delay, Scripted, StubChatModel

__all__ = [
    "ChatModel",
    "CircuitBreaker",
    "Delay",
    "LangChainChatModel",
    "Message",
    "ModelSkipped",
    "Role",
    "Scripted",
    "StubChatModel",
    "call_structured",
    "get_model",
    "model_from_settings",
    "parse_json_reply",
    "render_prompt",
]
