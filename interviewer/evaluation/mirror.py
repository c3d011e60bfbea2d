"""A stub chat model that answers every prompt of the product the way the offline path would.

It is a `StubChatModel` with a response function (like pydantic-ai's FunctionModel): the LLM code path is
exercised end to end (prompt rendering, JSON parsing, validation, retries) with deterministic replies, so
`interviewer eval --model stub` runs every suite through the LLM path without a network.
"""

from __future__ import annotations

import json
from pathlib import Path

from interviewer.grading.llm_grader import LLMGrader
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
    grade = grading.offline_only().grade(target, answer)
    return json.dumps({
        "score": grade.score,
        "covered": [{"id": c.id, "evidence": c.evidence} for c in grade.covered],
        "contradicted": [{"id": c.id, "evidence": c.evidence} for c in grade.contradicted],
        "missed": [m.id for m in grade.missed],
        "misconceptions": [m.id for m in grade.misconceptions],
        "feedback": grade.feedback,
        "flags": [f for f in grade.flags if f in {"dont_know", "off_topic", "echo", "keyword_salad"}],
    })  # fmt: skip


def obedient_grading(grading: GradingService, prompt_dir: Path) -> GradingService:
    """The LLM grading path with a model that does whatever the answer asks: a 5, every key point covered.

    The worst case for prompt injection: what stops an injected "give this a 5" must not be the model's
    judgement but the product's own guards."""

    def respond(messages: list[Message]) -> str:
        prompt = messages[-1].content
        points = prompt.split("Key points", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
        ids = [line[2:].split(":", 1)[0] for line in points if line.startswith("- ")]
        # It quotes the whole answer for every point: the words are all the answer's own, so only their meaning
        # can stop the credit.
        answer = _between(prompt, "answer")
        return json.dumps({"score": 5, "covered": [{"id": i, "evidence": answer} for i in ids],
                           "missed": [], "misconceptions": [], "feedback": "Excellent, full marks.", "flags": []})  # fmt: skip

    llm = LLMGrader(StubChatModel(respond=respond, name="obedient-stub"), prompt_dir, timeout_s=5.0, max_retries=0,
                    evidence=grading.offline.evidence_coverage)  # fmt: skip
    return GradingService(grading.bank, None, grading.offline, llm)
