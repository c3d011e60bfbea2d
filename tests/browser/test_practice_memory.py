"""Practice that remembers, in a real browser: try again and compare, review my weak spots, aim at a job."""

from __future__ import annotations

import re

from .conftest import shot
from .test_ui import answer, bot_count


def _setup(page, url: str, questions: int) -> None:
    page.goto(url)
    page.locator("#questions input[type=number]").fill(str(questions))
    page.locator("#follow-ups input").uncheck()


def _begin(page, url: str, questions: int) -> None:
    _setup(page, url, questions)
    page.locator("#start").click()
    _wait_bots(page, 1)


def _wait_bots(page, more_than: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=\"bot\"]').length > {more_than}")


def test_try_again_shows_both_attempts_and_what_changed(running_app, page):
    _begin(page, running_app.url, 2)
    answer(page, "hmm I think it has something to do with the data")
    page.wait_for_function("document.querySelector('#feedback').innerText.includes('/5')")
    before = bot_count(page)
    page.locator("#retry").click()
    _wait_bots(page, before)
    retry_line = page.locator('#chat [data-testid="bot"]').last.inner_text().lower()
    assert "try that one again" in retry_line or "another go" in retry_line
    answer(page, "I would explain the definition carefully with an example, the key idea and how it is used, "
                 "what it depends on and the trade-offs, and how you would check it on held-out data")  # fmt: skip
    page.wait_for_selector("#feedback .compare")
    compare = page.locator("#feedback .compare").inner_text()
    shot(page, "retry-compare")
    assert "Then and now" in compare and re.search(r"\d(\.5)?/5 → \d(\.5)?/5", compare)
    users = page.locator('#chat [data-testid="user"]')
    assert users.count() == 3 and "Last time" in page.locator("#chat").inner_text(), "both attempts stay in the chat"


def test_review_my_weak_spots_asks_what_was_missed_and_the_history_shows_it_due(running_app, page):
    _begin(page, running_app.url, 1)
    answer(page, "I don't know")
    page.wait_for_function("document.querySelector('#report').innerText.includes('Mock interview report')")
    page.goto(running_app.url)
    page.locator("#review").click()
    _wait_bots(page, 1)
    asked = page.locator("#chat").inner_text()
    shot(page, "review-setup")
    assert "last time you missed this" in asked
    page.get_by_role("tab", name="History").click()
    page.wait_for_function(
        "document.querySelector('#due') && document.querySelector('#due').innerText.includes('missed')"
    )
    assert "missed" in page.locator("#due").inner_text() and page.locator("#mastery").inner_text().strip()


def test_a_job_description_aims_the_questions_and_says_why(running_app, page):
    _setup(page, running_app.url, 2)
    page.locator("#job textarea").fill("NLP engineer: fine-tune transformer language models with attention for "
                                       "text classification and generation.")  # fmt: skip
    page.locator("#start").click()
    _wait_bots(page, 1)
    shot(page, "job-aimed")
    assert "the role asks for" in page.locator("#chat").inner_text()
