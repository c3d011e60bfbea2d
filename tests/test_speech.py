"""Offline speech: Piper-spoken answers through faster-whisper, figures, bad files, the TTS cache. No network."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config import Settings
from interviewer.evaluation.wer import word_error_rate
from interviewer.fillers import count as count_fillers
from interviewer.speech import (
    AudioError,
    OpenAISTT,
    PiperTTS,
    Transcript,
    WhisperSTT,
    make_stt,
    make_tts,
    speech_figures,
    transcribe_file,
    validate_audio,
)
from interviewer.speech.audio import Audio
from interviewer.speech.transcript import Segment, build_transcript

ANSWER = (
    "To avoid overfitting, I would add L2 regularization and then compare an SVM "
    "with a small CNN, using precision and recall on a validation set."
)
TERMS = ["overfitting", "L2", "regularization", "SVM", "CNN", "precision", "recall"]
CONTEXT = "How would you reduce overfitting? Key terms: L2 regularization, SVM, CNN, precision, recall."
MAX_WER = 0.15  # measured 0.0 on this sentence; tiny.en averages ~0.06 on evals/speech (benchmarks/bench_speech.py)


@pytest.fixture(scope="module")
def tts(tmp_path_factory) -> PiperTTS:
    """The app's voice without prosody noise: the same audio on every run, so results do not wobble."""
    return PiperTTS(tmp_path_factory.mktemp("tts"), deterministic=True)


@pytest.fixture(scope="module")
def stt() -> WhisperSTT:
    return WhisperSTT()


@pytest.fixture(scope="module")
def spoken_answer(tts) -> Path:
    """A 22.05 kHz mono 16-bit WAV of ANSWER in the app's own voice."""
    return tts.synthesize(ANSWER)


@pytest.fixture(scope="module")
def transcript(stt, spoken_answer) -> Transcript:
    return stt.transcribe(spoken_answer)


def _write(path: Path, samples: np.ndarray, rate: int) -> Path:
    sf.write(path, samples.astype(np.float32), rate, subtype="PCM_16")
    return path


# ---------------------------------------------------------------- recognition


def test_a_spoken_answer_is_transcribed_with_its_technical_terms(transcript, spoken_answer):
    assert word_error_rate(ANSWER, transcript.text) <= MAX_WER, transcript.text
    for term in TERMS:
        assert term.lower() in transcript.text.lower(), f"{term!r} missing from {transcript.text!r}"
    assert not transcript.unclear
    assert transcript.language == "en"
    assert transcript.duration_s == pytest.approx(sf.info(spoken_answer).duration, abs=0.05)
    assert 100 < transcript.words_per_minute < 260  # Piper speaks at an ordinary pace
    assert transcript.long_pauses == 0 and transcript.fillers == {}


def test_transcribe_file_primes_with_the_question(spoken_answer):
    result = transcribe_file(make_stt(Settings.load()), spoken_answer, context=CONTEXT)
    assert word_error_rate(ANSWER, result.text) <= MAX_WER, result.text
    assert all(term.lower() in result.text.lower() for term in TERMS)


def test_the_cli_prints_the_transcript_as_json(spoken_answer):
    result = CliRunner().invoke(app, ["transcribe", str(spoken_answer), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"text", "duration_s", "words_per_minute", "fillers"} <= data.keys()
    assert word_error_rate(ANSWER, data["text"]) <= MAX_WER


def test_the_cli_turns_a_bad_file_into_a_one_line_error(tmp_path):
    notes = tmp_path / "answer.wav"
    notes.write_text("not audio at all\n" * 50)
    result = CliRunner().invoke(app, ["transcribe", str(notes)])
    assert result.exit_code == 1
    assert "not a readable audio file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "convert"),
    [
        ("phone.wav", lambda a, r: (resample_poly(a, 160, 441), 8000, "PCM_16")),
        ("stereo.wav", lambda a, r: (np.stack([a, 0.6 * a], axis=1), r, "PCM_16")),
        ("browser.ogg", lambda a, r: (resample_poly(a, 320, 147), 48000, "OPUS")),  # what a browser records
        ("answer.mp3", lambda a, r: (a, r, "MPEG_LAYER_III")),
    ],
    ids=["8kHz-mono-wav", "stereo-wav", "ogg-opus-48kHz", "mp3"],
)
def test_other_rates_channels_and_formats_still_transcribe(stt, spoken_answer, tmp_path, name, convert):
    audio, rate = sf.read(spoken_answer, dtype="float32")
    assert rate == 22050
    samples, new_rate, subtype = convert(audio, rate)
    path = tmp_path / name
    sf.write(path, samples, new_rate, subtype=subtype)
    assert validate_audio(path) == pytest.approx(len(audio) / rate, abs=0.1)
    result = stt.transcribe(path)
    assert word_error_rate(ANSWER, result.text) <= MAX_WER, result.text
    assert not result.unclear


@pytest.mark.parametrize(("silence_s", "pauses"), [(3.5, 1), (1.2, 0)])
def test_a_silence_of_two_seconds_or_more_between_sentences_is_a_long_pause(stt, tts, tmp_path, silence_s, pauses):
    first, rate = sf.read(tts.synthesize("Gradient descent follows the slope of the loss."), dtype="float32")
    second, _ = sf.read(tts.synthesize("Then we take a small step downhill."), dtype="float32")
    joined = np.concatenate([first, np.zeros(int(silence_s * rate), np.float32), second])
    result = stt.transcribe(_write(tmp_path / "paused.wav", joined, rate))
    assert result.long_pauses == pauses, result
    assert "descent" in result.text.lower() and "downhill" in result.text.lower()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda rng: np.zeros(16000 * 4), id="silence"),
        pytest.param(lambda rng: 0.3 * rng.standard_normal(16000 * 4), id="white-noise"),
        pytest.param(lambda rng: 0.01 * rng.standard_normal(16000 * 4), id="faint-noise"),
    ],
)
def test_silence_and_noise_are_unclear(stt, tmp_path, make):
    path = _write(tmp_path / "nothing.wav", np.clip(make(np.random.default_rng(0)), -1, 1), 16000)
    result = stt.transcribe(path)
    assert result.unclear, result
    assert speech_figures(result).words_per_minute == result.words_per_minute


def test_transcribing_a_silent_recording_says_nothing_was_heard(tmp_path):
    path = _write(tmp_path / "silent.wav", np.zeros(16000 * 3, np.float32), 16000)
    result = CliRunner().invoke(app, ["transcribe", str(path)])
    assert result.exit_code == 1 and "nothing heard" in result.output
    as_json = CliRunner().invoke(app, ["transcribe", str(path), "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["unclear"] is True


# ---------------------------------------------------------------- files that are refused


def _text_renamed(path: Path) -> None:
    path.write_text("Overfitting notes: regularize, validate, stop early.\n" * 40)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _corrupt_header(path: Path, spoken: Path) -> None:
    raw = spoken.read_bytes()
    path.write_bytes(b"RIFF" + bytes(range(7, 47)) + raw[44:])  # the 44-byte header scrambled


def _impossible_rate(path: Path) -> None:
    """Found by tests/test_audio_fuzz.py: one flipped byte made the header claim 134 MHz, and resampling from it
    took 3 s and 1.2 GB before failing with an av.error.MemoryError instead of an AudioError."""
    raw = bytearray(_write(path, np.zeros(16000), 16000).read_bytes())
    assert struct.unpack_from("<I", raw, 24) == (16000,)  # the fmt chunk's sample rate
    struct.pack_into("<I", raw, 24, 134_228_753)
    path.write_bytes(raw)


def _nine_channels(path: Path) -> None:
    """Found by tests/test_audio_fuzz.py: a flipped byte made a mono WAV claim 9 channels, which validation let
    through and FFmpeg's resampler then refused with an av.error.ArgumentError instead of an AudioError."""
    _write(path, np.zeros((8000, 9)), 16000)


def _six_minutes(path: Path) -> None:
    quiet = 0.01 * np.random.default_rng(0).standard_normal(8000 * 360)  # 5.8 MB at 8 kHz: cheap to write
    _write(path, quiet, 8000)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_text_renamed, "is not a readable audio file"),
        (_empty, "is empty (0 bytes): record the answer again"),
        (_corrupt_header, "is not a readable audio file"),
        (_impossible_rate, "its sample rate of 134228753 Hz is impossible"),
        (_nine_channels, "has 9 channels, over the 8 that can be mixed to one voice: save it in mono or stereo"),
        (_six_minutes, "is 6 min 00 s long; answers may be at most 5 min 00 s"),
        (None, "does not exist"),
    ],
    ids=[
        "text-renamed-wav",
        "zero-length",
        "corrupt-header",
        "impossible-sample-rate",
        "nine-channels",
        "six-minutes",
        "missing",
    ],
)
def test_unusable_files_raise_audio_error_saying_what_to_do(tmp_path, spoken_answer, make, message):
    path = tmp_path / "answer.wav"
    if make is _corrupt_header:
        make(path, spoken_answer)
    elif make is not None:
        make(path)
    with pytest.raises(AudioError) as caught:
        transcribe_file(make_stt(Settings.load()), path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_file_over_25_mb_is_refused_before_decoding(tmp_path):
    big = tmp_path / "big.wav"
    with open(big, "wb") as handle:  # sparse: no 25 MB written
        handle.truncate(25 * 1024 * 1024 + 1)
    with pytest.raises(AudioError, match="over the 25 MB limit"):
        validate_audio(big)


# ---------------------------------------------------------------- text to speech


def test_speech_is_cached_by_text(tmp_path, monkeypatch):
    tts = make_tts(Settings.load(data_dir=tmp_path / "data"))
    first = tts.synthesize("Why does dropout help?")
    assert first.parent == tmp_path / "data" / "tts-cache"
    info = sf.info(first)
    assert info.subtype == "PCM_16" and info.channels == 1 and info.duration > 0.5
    stamp = first.stat().st_mtime_ns

    monkeypatch.setattr(tts, "_render", lambda *a: pytest.fail("the cached file should have been reused"))
    assert tts.synthesize("Why does dropout help?") == first
    assert first.stat().st_mtime_ns == stamp
    assert tts.path_for("Why does batch norm help?") != first


# ---------------------------------------------------------------- figures, engines and helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, so, uh, the model overfits. Hmm.", {"um": 1, "uh": 1, "hmm": 1}),
        ("It's, like, basically a kernel. You know, an SVM.", {"like": 1, "basically": 1, "you know": 1}),
        ("Models like SVM and KNN. Do you know what I mean by recall?", {}),
        ("I mean, the learning rate matters, I mean.", {"i mean": 2}),
    ],
)
def test_fillers_are_counted_only_where_they_are_fillers(text, expected):
    assert count_fillers(text) == expected


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("An SVM, with L2 regularization.", "an svm with l2 regularization", 0.0),
        ("Um, the AUC is, like, zero point five.", "The AUC is 0.5", 0.0),
        ("ninety nine percent accuracy", "99% accuracy", 0.0),
        ("gradient descent converges", "gradient dissent converges", 1 / 3),
        ("use dropout", "use the dropout now", 1.0),
    ],
)
def test_word_error_rate_ignores_case_punctuation_fillers_and_number_style(reference, hypothesis, expected):
    assert word_error_rate(reference, hypothesis) == pytest.approx(expected)


_VOICED = Audio(np.zeros(16000 * 10, np.float32), [(0.5, 4.0), (6.5, 9.5)])  # 7 s voiced, one 2.5 s pause


@pytest.mark.parametrize(
    ("segments", "audio", "unclear", "text"),
    [
        ([Segment("An SVM maximises the margin.", 0.5, 4.0, -0.2, 0.01)], _VOICED, False, None),
        ([Segment("An SVM maximises the margin.", 0.5, 4.0, -0.2, 0.01)], Audio(_VOICED.samples), True, None),
        ([Segment("Dropout, dropout, dropout.", 0.0, 9.0, -0.3, 0.8)], _VOICED, True, None),
        ([Segment("Rock you see.", 0.0, 9.0, -1.4, 0.1)], _VOICED, True, None),
        ([Segment(" . . .", 0.0, 9.0, -0.1, 0.1)], _VOICED, True, None),
        (
            [Segment("Bias and variance.", 0.5, 9.5, -0.3, 0.0), Segment("Thank you.", 9.9, 9.98, -0.7, 0.6)],
            _VOICED,
            False,
            "Bias and variance.",
        ),
    ],
    ids=["clear", "no-voice-heard", "likely-silent", "unsure-decoding", "punctuation-only", "tail-hallucination"],
)
def test_unclear_transcripts_and_invented_tails(segments, audio, unclear, text):
    result = build_transcript(segments, audio, "en")
    assert result.unclear is unclear
    if text is not None:
        assert result.text == text
        assert result.words_per_minute == pytest.approx(3 / 9 * 60) and result.long_pauses == 1


def test_speech_figures_keep_how_it_was_said_and_not_the_words(transcript):
    figures = speech_figures(transcript)
    assert set(figures.model_dump()) == {"words_per_minute", "fillers", "long_pauses"}
    assert figures.fillers == transcript.fillers and figures.long_pauses == transcript.long_pauses


class _RecordingSTT:
    name = "fallback"

    def __init__(self):
        self.calls: list[tuple[Path, str | None]] = []

    def transcribe(self, path, context=None):
        self.calls.append((path, context))
        return Transcript(text="offline", duration_s=1.0, words_per_minute=0.0)


def _client(create) -> SimpleNamespace:
    return SimpleNamespace(audio=SimpleNamespace(transcriptions=SimpleNamespace(create=create)))


def test_openai_failure_falls_back_to_the_offline_recogniser(spoken_answer):
    def refuse(**kwargs):
        raise ConnectionError("no network")

    fallback = _RecordingSTT()
    stt = OpenAISTT(None, fallback=fallback, client=_client(refuse))
    assert stt.transcribe(spoken_answer, CONTEXT).text == "offline"
    assert fallback.calls == [(spoken_answer, CONTEXT)]
    assert isinstance(stt.last_error, ConnectionError)


def test_openai_text_gets_figures_measured_on_the_local_audio(spoken_answer, transcript):
    sent = {}
    text = "Um, to avoid overfitting I would add L2 regularization."

    def create(**kwargs):
        sent.update(kwargs)
        segment = SimpleNamespace(text=text, start=0.0, end=3.0, avg_logprob=-0.2, no_speech_prob=0.01)
        return SimpleNamespace(text=text, duration=9.0, language="english", segments=[segment])

    result = OpenAISTT(None, fallback=_RecordingSTT(), client=_client(create)).transcribe(spoken_answer, CONTEXT)
    assert sent["model"] == "whisper-1" and sent["prompt"].endswith(CONTEXT)
    assert result.text == text and result.fillers == {"um": 1} and not result.unclear
    assert result.duration_s == transcript.duration_s and result.long_pauses == 0
    words_ratio = len(text.split()) / len(transcript.text.split())
    assert result.words_per_minute == pytest.approx(transcript.words_per_minute * words_ratio, rel=0.01)


def test_no_remote_recogniser_runs_under_tests(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = Settings.load()
    assert settings.llm_api_key == "sk-test"
    assert isinstance(make_stt(settings), WhisperSTT)
