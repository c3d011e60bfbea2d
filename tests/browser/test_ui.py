"""The interview in a real browser: typed answers to a downloaded report; HTML shown as text."""

from __future__ import annotations

import re

from .conftest import shot


def answer(page, text: str) -> None:
    page.locator("#answer textarea").fill(text)
    page.locator("#send").click()


def bot_count(page) -> int:
    return page.locator('#chat [data-testid="bot"]').count()


def test_a_typed_two_question_interview_ends_with_a_downloadable_report(running_app, page, tmp_path):
    page.goto(running_app.url)
    page.locator("#questions input[type=number]").fill("2")
    page.locator("#follow-ups input").uncheck()
    shot(page, "typed-1-setup")
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    assert "Question 1 of 2" in page.locator("#progress").inner_text()
    shot(page, "typed-2-first-question")
    answer(page, "I think it's when the model learns the training data too well, including the noise, "
                 "so it does badly on new data")  # fmt: skip
    page.wait_for_function("document.querySelector('#feedback').innerText.includes('/5')")
    assert re.search(r"\d(\.5)?/5", page.locator("#feedback").inner_text())
    shot(page, "typed-3-feedback")
    answer(page, "I don't know")
    page.wait_for_function("document.querySelector('#report').innerText.includes('Mock interview report')")
    shot(page, "typed-4-report")
    with page.expect_download() as download:
        page.locator("#report-download").click()
    path = tmp_path / "report.md"
    download.value.save_as(path)
    assert "# Mock interview report" in path.read_text()


def test_html_in_an_answer_is_shown_as_text_and_never_runs(running_app, page):
    page.goto(running_app.url)
    page.evaluate("window.__xss = 0")
    page.locator("#questions input[type=number]").fill("1")
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    payload = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> my answer'
    answer(page, payload)
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"user\"]').length >= 1")
    page.wait_for_timeout(500)
    shot(page, "xss-answer")
    assert page.evaluate("window.__xss") == 0
    assert page.locator('#chat img[src="x"]').count() == 0
    assert "<script>" in page.locator('#chat [data-testid="user"]').first.inner_text()
