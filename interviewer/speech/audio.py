"""Audio files: what a usable one is (validated before anything reads it), decoded and its voiced spans found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from interviewer.errors import SetupError
from interviewer.paths import file_problem

if TYPE_CHECKING:
    from av import AudioFrame

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


class AudioError(SetupError):
    """The audio file cannot be used; the message says what to record or convert."""


@dataclass(frozen=True)
class Audio:
    """What the waveform itself shows, whatever engine reads the words."""

    samples: np.ndarray  # SAMPLE_RATE mono float32
    speech: list[tuple[float, float]] = field(default_factory=list)  # voiced spans in seconds

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def listen(path: Path) -> Audio:
    """Decode to 16 kHz mono and find the voiced spans with Silero VAD (bundled with faster-whisper)."""
    from faster_whisper import decode_audio
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    # No padding, so silences are measured as they are; under 1 s is a breath inside one stretch of speech.
    spans = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=1000, speech_pad_ms=0))
    return Audio(samples, [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in spans])


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


def _check_mixable(frame: AudioFrame, path: Path, unreadable: str) -> None:
    """Refuse a frame the recogniser's resampler (to SAMPLE_RATE mono) would fail on, or take gigabytes for."""
    if not 0 < frame.sample_rate <= MAX_SAMPLE_RATE:
        raise AudioError(f"{unreadable}; its sample rate of {frame.sample_rate} Hz is impossible")
    if frame.layout.nb_channels > MAX_CHANNELS:
        raise AudioError(
            f"audio file {path} has {frame.layout.nb_channels} channels, over the {MAX_CHANNELS} that can be "
            "mixed to one voice: save it in mono or stereo"
        )


def _valid_frames(frames: Iterable[AudioFrame]) -> Iterator[AudioFrame]:
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
