"""The "Scores so far" plot draws one bar per graded answer, at that answer's score."""

from __future__ import annotations

import re

from .conftest import shot

ANSWERS = [
    "It is when the model learns the training data too well, including the noise, so it does badly on new data",
    "I don't know",
]
# Vega's SVG renderer draws each bar as a path in a rect-mark group, labelled "question: Q1; score: 1.5".
BARS = "#score-plot g.mark-rect path"


def bars(page) -> dict[str, float]:
    """The drawn bars as {question: score}, read from their labels."""
    labels = page.locator(BARS).evaluate_all("(paths) => paths.map((path) => path.getAttribute('aria-label'))")
    fields = [dict(pair.split(": ", 1) for pair in (label or "").split("; ")) for label in labels]
    return {f["question"]: float(f["score"]) for f in fields}


def test_each_graded_answer_adds_a_bar_at_its_score(running_app, page):
    page.goto(running_app.url)
    page.locator("#questions input[type=number]").fill(str(len(ANSWERS)))
    page.locator("#follow-ups input").uncheck()
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    scores = {}
    for n, text in enumerate(ANSWERS, 1):
        page.locator("#answer textarea").fill(text)
        page.locator("#send").click()
        page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=\"user\"]').length >= {n}")
        scores[f"Q{n}"] = float(re.search(r"([\d.]+)/5", page.locator("#feedback").inner_text())[1])
        page.wait_for_function(f"document.querySelectorAll('{BARS}').length >= {n}", timeout=10_000)
        assert bars(page) == scores
    shot(page, "score-plot-two-answers")
    assert page.locator(BARS).count() == len(ANSWERS)
