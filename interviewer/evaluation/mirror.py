"""A stub chat model that answers every prompt of the product the way the offline path would.

It is a `StubChatModel` with a response function (like pydantic-ai's FunctionModel): the LLM code path is
exercised end to end (prompt rendering, JSON parsing, validation, retries) with deterministic replies, so
`interviewer eval --model stub` runs every suite through the LLM path without a network.
"""

from __future__ import annotations

import json

from interviewer.grading.service import GradingService
from interviewer.intents import classify
from interviewer.llm import Message, StubChatModel


def _between(prompt: str, tag: str) -> str:
    """The text inside the last <tag>...</tag> block (the instructions may mention the tag earlier)."""
    return prompt.rsplit(f"<{tag}>\n", 1)[1].split(f"\n</{tag}>", 1)[0]


def mirror_model(grading: GradingService) -> StubChatModel:
    def respond(messages: list[Message]) -> str:
        prompt = messages[-1].content
        if prompt.startswith("You are a fair, senior machine-learning interviewer grading"):
            return _grade(prompt, grading)
        if "Draft lines (JSON list):" in prompt:
            draft = json.loads(prompt.split("Draft lines (JSON list):\n", 1)[1].split("\n\nReply with", 1)[0])
            return json.dumps({"lines": draft})
        if "<utterance>" in prompt:
            return json.dumps({"intent": classify(_between(prompt, "utterance"))})
        return "unrecognised prompt"

    return StubChatModel(respond=respond, name="stub")


def _grade(prompt: str, grading: GradingService) -> str:
    question = prompt.split("Question: ", 1)[1].split("\n", 1)[0]
    reference = prompt.split("Reference answer:\n", 1)[1].split("\n\nKey points", 1)[0]
    answer = _between(prompt, "answer")
    target = grading.resolve(question=question)
    if target.reference_answer != reference:
        target = grading.resolve(question=question, reference=reference)
    grade = grading.offline.grade(target, answer)
    return json.dumps({
        "score": grade.score,
        "covered": [{"id": c.id, "evidence": c.evidence} for c in grade.covered],
        "missed": [m.id for m in grade.missed],
        "misconceptions": [m.id for m in grade.misconceptions],
        "feedback": grade.feedback,
        "flags": [f for f in grade.flags if f in {"dont_know", "off_topic", "echo", "keyword_salad"}],
    })  # fmt: skip
