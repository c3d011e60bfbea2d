"""A transcript and its speaking figures, the same for every recognition engine."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from interviewer import fillers
from interviewer.speech.audio import Audio

LONG_PAUSE_S = 2.0  # a silence this long between words reads as a hesitation, not a breath
# Whisper's own thresholds (log_prob_threshold / no_speech_threshold): beyond them a segment is guesswork.
NO_SPEECH_PROB = 0.6
MIN_AVG_LOGPROB = -1.0
# Nobody says more than ~6 words a second; a segment packed tighter is Whisper inventing text ("Thank you.")
# from the silent padding at the end of a file, so it is dropped.
MAX_WORDS_PER_S = 10.0
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


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised text, whichever engine produced it."""

    text: str
    start: float
    end: float
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def build_transcript(segments: list[Segment], audio: Audio, language: str | None) -> Transcript:
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
        fillers=fillers.count(" ".join(text.split())),
        long_pauses=sum(1 for gap in _gaps(speech) if gap >= LONG_PAUSE_S),
        unclear=_is_unclear(kept, audio),
        language=language,
    )


def _gaps(speech: list[tuple[float, float]]) -> list[float]:
    return [start - end for (_, end), (start, _) in zip(speech, speech[1:], strict=False)]


def _too_fast(segment: Segment) -> bool:
    return segment.words > MAX_WORDS_PER_S * max(segment.end - segment.start, 0.01)


def _is_unclear(segments: list[Segment], audio: Audio) -> bool:
    """Nothing usable was heard: no voice, no words, only likely-silent segments, or a very unsure decoding."""
    weight = sum(s.words for s in segments)
    if not audio.speech or not weight:
        return True
    if all(s.no_speech_prob >= NO_SPEECH_PROB for s in segments):
        return True
    return sum(s.avg_logprob * s.words for s in segments) / weight < MIN_AVG_LOGPROB


class SpeechFigures(BaseModel):
    """How an answer was said, stored with each spoken turn (its text is the answer itself)."""

    words_per_minute: float = 0.0
    fillers: dict[str, int] = Field(default_factory=dict)
    long_pauses: int = 0


def speech_figures(transcript: Transcript) -> SpeechFigures:
    """The speaking figures stored with each spoken turn."""
    return SpeechFigures(words_per_minute=transcript.words_per_minute, fillers=dict(transcript.fillers),
                         long_pauses=transcript.long_pauses)  # fmt: skip
