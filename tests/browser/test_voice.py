"""A spoken answer through Chromium's fake microphone (a Piper WAV): transcribed, correctable, graded."""

from __future__ import annotations

import shutil
import wave

import pytest

from .conftest import CHROMIUM_ARGS, shot

SPOKEN = "Overfitting is when a model learns the noise in its training data, so it does badly on new data."


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory):
    from interviewer.speech import PiperTTS

    folder = tmp_path_factory.mktemp("voice")
    path = PiperTTS(folder, deterministic=True).synthesize(SPOKEN)
    with wave.open(str(path)) as wav:
        assert wav.getsampwidth() == 2, "Chromium's fake capture needs 16-bit PCM"
        seconds = wav.getnframes() / wav.getframerate()
    return path, seconds


def test_a_spoken_answer_is_transcribed_into_the_box_and_graded(running_app, answer_wav, playwright_instance):
    path, seconds = answer_wav
    fake_mic = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={path}%noloop"]  # fmt: skip
    # A browser of its own: the fake microphone is a launch flag.
    browser = playwright_instance.chromium.launch(executable_path=shutil.which("chromium"),
                                                  args=CHROMIUM_ARGS + fake_mic)  # fmt: skip
    context = browser.new_context(permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(running_app.url)
    page.locator("#questions input[type=number]").fill("1")
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    page.locator("#mic button.record-button").click()
    page.wait_for_timeout(int((seconds + 1.5) * 1000))
    page.locator("#mic button.stop-button").click()
    page.wait_for_function("document.querySelector('#answer textarea').value.length > 20")
    transcript = page.locator("#answer textarea").input_value().lower()
    shot(page, "voice-1-transcript")
    assert "overfitting" in transcript and "training data" in transcript
    page.locator("#send").click()
    page.wait_for_function("document.querySelector('#feedback').innerText.includes('/5')")
    card = page.locator("#feedback").inner_text()
    shot(page, "voice-2-feedback")
    assert "words per minute" in card
    browser.close()
