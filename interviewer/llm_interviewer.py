"""LLM mode for the interviewer's words: rewritten lines and intent recognition, offline on any failure."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from interviewer.bank import Bank
from interviewer.errors import LLMError, SetupError
from interviewer.intents import Intent, classify
from interviewer.llm import ChatModel, Message, call_structured, render_prompt
from interviewer.phrasing import spoken
from interviewer.session import Event

MAX_LINE_CHARS = 700
LLM_INTENT_MAX_WORDS = 25  # longer utterances are answers: no call needed


class _Lines(BaseModel):
    lines: list[str] = Field(min_length=1)

    @field_validator("lines")
    @classmethod
    def _short(cls, lines: list[str]) -> list[str]:
        if any(not line.strip() or len(line) > MAX_LINE_CHARS for line in lines):
            raise ValueError("lines must be non-empty and short")
        return lines


class _Intent(BaseModel):
    intent: Intent


class LLMInterviewer:
    """Phrasing and intents through a chat model; the caller keeps the offline result on any LLMError."""

    def __init__(self, model: ChatModel, bank: Bank, prompt_dir: Path, timeout_s: float, max_retries: int):
        self.model = model
        self._bank = bank
        self._prompt_dir = prompt_dir
        self._timeout_s = timeout_s
        self._max_retries = max_retries

    def rephrase(self, draft: list[str], events: list[Event], candidate: str) -> list[str]:
        question_id = next((e.question_id for e in events if e.question_id), None)
        question = self._bank.get(question_id) if question_id else None
        probe = next((e for e in events if e.kind == "follow_up" and e.key_point_id), None)
        key_point = question.key_point(probe.key_point_id).text if question and probe and probe.key_point_id else "none"
        prompt = render_prompt(
            self._prompt_dir, "phrase",
            question=question.text if question else "none", key_point=key_point,
            candidate=_neutralise(candidate, "candidate"), draft=json.dumps(draft),
        )  # fmt: skip

        def same_count(reply: _Lines) -> None:
            if len(reply.lines) != len(draft):
                raise LLMError(f"expected {len(draft)} lines, got {len(reply.lines)}")

        out = call_structured(self.model, [Message("user", prompt)], _Lines, self._timeout_s, self._max_retries,
                              same_count)  # fmt: skip
        return [spoken(line) for line in out.lines]

    def intent(self, utterance: str, question_text: str) -> Intent:
        offline = classify(utterance)
        if offline != "answer" or len(utterance.split()) > LLM_INTENT_MAX_WORDS:
            return offline
        prompt = render_prompt(self._prompt_dir, "intent", question=question_text,
                               utterance=_neutralise(utterance, "utterance"))  # fmt: skip
        return call_structured(self.model, [Message("user", prompt)], _Intent, self._timeout_s,
                               self._max_retries).intent  # fmt: skip


def _neutralise(text: str, tag: str) -> str:
    return re.sub(rf"</?\s*{tag}\s*>", "", text, flags=re.IGNORECASE)


__all__ = ["LLMInterviewer", "LLMError", "SetupError"]
