"""Hostile audio never crashes transcription: Hypothesis builds odd WAVs, broken headers, fake magic, other formats.

Examples tried per property (Hypothesis `max_examples`, so each run draws new ones):
  WAV: 4-96 kHz, 1-6 channels, 1-4 byte samples, PCM/float/A-law/mu-law/unknown codes, 0-3 s of silence,
       a tone, noise, raw random bytes or a spoken sentence ........................................ 40
  WAV as above holding 1-3 s of a spoken sentence, so Whisper runs on every one ..................... 15
  WAV with a broken header: cut at any offset, header bytes flipped, one header field lying ........ 40
  random bytes after a RIFF, ID3, OggS, fLaC, MP3, AIFF, Matroska, MP4, AU or CAF magic ............ 30
  FLAC, OGG Vorbis/Opus, MP3, AIFF, AU, CAF, W64 written by libsndfile, whole or cut short ......... 30
Each file goes through `transcribe_file` (what `interviewer transcribe` calls; the UI runs the same two steps,
`validate_audio` then the recogniser) and must give a Transcript or an AudioError whose message names the file
and says what is wrong; any other exception fails, and so does an example running longer than HANG_S.
Files stay small (at most 3 s, under 7 MB), so nothing huge is decoded.

Found and fixed in interviewer/speech.py (each has a named case in tests/test_speech.py): a header claiming a
134 MHz sample rate (resampling took 1.2 GB, then av.error.MemoryError) and a WAV claiming 9 channels
(av.error.ArgumentError: FFmpeg cannot mix them to mono).
"""

from __future__ import annotations

import io
import signal
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviewer.config import Settings
from interviewer.speech import MAX_SECONDS, AudioError, PiperTTS, Transcript, make_stt, transcribe_file

WAV_EXAMPLES = 40
SPOKEN_EXAMPLES = 15
BROKEN_HEADER_EXAMPLES = 40
MAGIC_EXAMPLES = 30
OTHER_FORMAT_EXAMPLES = 30
HANG_S = 60  # one example: decoding at most 3 s of audio, and Whisper on it, takes a second or two

# The autouse isolated env (one tmp dir per test) is meant to be shared by a test's examples.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What the message says is wrong: every AudioError names one of these.
EXPLAINED = (
    "is not a readable audio file",
    "that can be mixed to one voice",
    "contains no sound samples",
    "is empty (0 bytes)",
    "answers may be at most",
    "over the 25 MB limit",
)


class Hang(Exception):
    """An example ran longer than HANG_S."""


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Raise Hang in the test's thread when the block runs too long (decoding returns to Python per frame)."""

    def expire(signum, frame):
        raise Hang(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def local() -> Settings:
    return Settings.load(speech_engine="local")


@pytest.fixture(scope="module")
def voice(tmp_path_factory) -> np.ndarray:
    """A spoken sentence (22.05 kHz mono float) in the app's own voice, so some examples reach Whisper."""
    path = PiperTTS(tmp_path_factory.mktemp("voice"), deterministic=True).synthesize(
        "Overfitting means the model learns the noise in its training data."
    )
    samples, rate = sf.read(path, dtype="float32")
    assert rate == VOICE_RATE
    return samples


def transcribed_or_explained(settings: Settings, path: Path, data: bytes) -> Transcript | AudioError:
    """The property: a Transcript, or an AudioError that names the file and says what is wrong."""
    path.write_bytes(data)
    try:
        with _within(HANG_S):
            result = transcribe_file(make_stt(settings), path)
    except AudioError as exc:
        message = str(exc)
        assert str(path) in message and any(why in message for why in EXPLAINED), message
        assert "\n" not in message and "Traceback" not in message, message
        return exc
    assert isinstance(result, Transcript)
    # A lying header can stretch the same bytes, but never past the length validation allows.
    assert 0 <= result.duration_s <= MAX_SECONDS + 1 and result.words_per_minute >= 0, result
    return result


# ---------------------------------------------------------------- WAV files built field by field

PCM, FLOAT, ALAW, MULAW, EXTENSIBLE = 1, 3, 6, 7, 0xFFFE
VOICE_RATE = 22_050


@dataclass(frozen=True)
class WavSpec:
    rate: int
    channels: int
    width: int  # bytes per sample
    seconds: float
    content: str  # silence, tone, noise, voice, or bytes (raw random bytes: NaN floats, clipped ints...)
    format_tag: int
    seed: int

    @property
    def frames(self) -> int:
        return round(self.rate * self.seconds)


def waveform(spec: WavSpec, voice: np.ndarray | None = None) -> np.ndarray:
    """(frames, channels) floats in [-1, 1]: the spec's content at its rate."""
    rng = np.random.default_rng(spec.seed)
    t = np.arange(spec.frames) / spec.rate
    if spec.content == "silence":
        return np.zeros((spec.frames, spec.channels))
    if spec.content == "tone":
        return 0.5 * np.sin(2 * np.pi * np.outer(t, 220.0 * np.arange(1, spec.channels + 1)))
    if spec.content == "voice":
        assert voice is not None, "voice content needs the voice fixture"
        spoken = np.interp(t * VOICE_RATE, np.arange(len(voice)), voice)  # resampled, held at its end
        return np.outer(spoken, np.linspace(1.0, 0.5, spec.channels))
    return rng.uniform(-1, 1, (spec.frames, spec.channels))


def samples(spec: WavSpec, voice: np.ndarray | None = None) -> bytes:
    """The data chunk's bytes: interleaved samples in the spec's width (random bytes for 'bytes')."""
    if spec.content == "bytes":
        rng = np.random.default_rng(spec.seed)
        return rng.integers(0, 256, spec.frames * spec.channels * spec.width, dtype=np.uint8).tobytes()
    flat = waveform(spec, voice).reshape(-1)
    if spec.format_tag == FLOAT and spec.width == 4:
        return flat.astype("<f4").tobytes()
    if spec.width == 1:
        return (flat * 127 + 128).astype(np.uint8).tobytes()
    ints = (flat * (2 ** (8 * spec.width - 1) - 1)).astype("<i4")
    return ints.view(np.uint8).reshape(-1, 4)[:, : spec.width].tobytes()  # little-endian: the low bytes first


def wav_bytes(spec: WavSpec, voice: np.ndarray | None = None) -> bytes:
    """A canonical 44-byte-header WAV (RIFF, fmt, data) for the spec, whatever the format tag claims."""
    data = samples(spec, voice)
    block = spec.channels * spec.width
    fmt = struct.pack("<HHIIHH", spec.format_tag, spec.channels, spec.rate, spec.rate * block, block, 8 * spec.width)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


format_tags = st.one_of(
    st.just(PCM), st.sampled_from([FLOAT, ALAW, MULAW, EXTENSIBLE, 0, 2, 0x11, 0x55]), st.integers(0, 0xFFFF)
)
rates = st.one_of(st.sampled_from([4000, 8000, 11025, 16000, 22050, 44100, 48000, 96000]), st.integers(4000, 96000))
durations = st.one_of(st.just(0.0), st.floats(0, 3, allow_nan=False), st.floats(0, 0.01, allow_nan=False))
wav_specs = st.builds(
    WavSpec,
    rate=rates,
    channels=st.integers(1, 6),
    width=st.integers(1, 4),
    seconds=durations,
    content=st.sampled_from(["silence", "tone", "noise", "voice", "bytes"]),
    format_tag=format_tags,
    seed=st.integers(0, 2**32 - 1),
)


# Whisper only runs on a voice; few random specs carry one long enough, so these all do.
spoken_wav_specs = st.builds(
    WavSpec,
    rate=rates,
    channels=st.integers(1, 6),
    width=st.integers(1, 4),
    seconds=st.floats(1, 3),
    content=st.just("voice"),
    format_tag=st.just(PCM),
    seed=st.just(0),
) | st.builds(WavSpec, rate=rates, channels=st.integers(1, 6), width=st.just(4), seconds=st.floats(1, 3),
              content=st.just("voice"), format_tag=st.just(FLOAT), seed=st.just(0))  # fmt: skip


@settings(FUZZ, max_examples=WAV_EXAMPLES)
@given(spec=wav_specs)
def test_any_wav_is_transcribed_or_explained(local, tmp_path, voice, spec):
    result = transcribed_or_explained(local, tmp_path / "answer.wav", wav_bytes(spec, voice))
    if spec.format_tag == PCM and spec.frames:  # a well-formed PCM file is never refused, whatever it holds
        assert isinstance(result, Transcript), result
        assert result.duration_s == pytest.approx(spec.seconds, abs=0.05)


@settings(FUZZ, max_examples=SPOKEN_EXAMPLES)
@given(spec=spoken_wav_specs)
def test_a_spoken_wav_in_any_layout_reaches_the_recogniser(local, tmp_path, voice, spec):
    result = transcribed_or_explained(local, tmp_path / "answer.wav", wav_bytes(spec, voice))
    assert isinstance(result, Transcript), result
    assert result.duration_s == pytest.approx(spec.seconds, abs=0.05)


# ---------------------------------------------------------------- broken headers


@dataclass(frozen=True)
class Damaged:
    """A file's bytes, shown in reports by how they were made (not as kilobytes of bytes)."""

    how: str
    data: bytes = field(repr=False)


# (offset, struct format) of each field of the canonical 44-byte header, sizes and fmt fields alike
HEADER_FIELDS = {
    "riff size": (4, "<I"),
    "fmt size": (16, "<I"),
    "format tag": (20, "<H"),
    "channels": (22, "<H"),
    "sample rate": (24, "<I"),
    "byte rate": (28, "<I"),
    "block align": (32, "<H"),
    "bits per sample": (34, "<H"),
    "data size": (40, "<I"),
}
small_wav_specs = wav_specs.filter(lambda s: s.content != "voice" and s.frames * s.channels * s.width <= 400_000)


@st.composite
def broken_wavs(draw) -> Damaged:
    spec = draw(small_wav_specs)
    raw = bytearray(wav_bytes(spec))
    damage = draw(st.sampled_from(["cut", "flip", "lie"]))
    if damage == "cut":
        at = draw(st.integers(0, len(raw) - 1))
        return Damaged(f"{spec} cut at byte {at} of {len(raw)}", bytes(raw[:at]))
    if damage == "flip":
        flips = draw(st.lists(st.tuples(st.integers(0, 43), st.integers(1, 255)), min_size=1, max_size=8))
        for offset, mask in flips:
            raw[offset] ^= mask
        return Damaged(f"{spec} with header bytes (offset, xor) {flips}", bytes(raw))
    name = draw(st.sampled_from(sorted(HEADER_FIELDS)))
    offset, form = HEADER_FIELDS[name]
    top = 2 ** (8 * struct.calcsize(form)) - 1
    value = draw(st.one_of(st.sampled_from([0, 1, 2, top, top // 2 + 1]), st.integers(0, top)))
    struct.pack_into(form, raw, offset, value)
    return Damaged(f"{spec} whose {name} says {value}", bytes(raw))


@settings(FUZZ, max_examples=BROKEN_HEADER_EXAMPLES)
@given(damaged=broken_wavs())
def test_a_wav_with_a_broken_header_is_transcribed_or_explained(local, tmp_path, damaged):
    transcribed_or_explained(local, tmp_path / "answer.wav", damaged.data)


# ---------------------------------------------------------------- noise behind a format's magic bytes

MAGIC = {
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "riff": b"RIFF",
    "mp3-id3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "mp3-frame": b"\xff\xfb\x90\x64",
    "ogg": b"OggS\x00\x02",
    "flac": b"fLaC\x00\x00\x00\x22",
    "aiff": b"FORM\x00\x00\x10\x00AIFF",
    "webm": b"\x1a\x45\xdf\xa3",
    "m4a": b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00",
    "au": b".snd\x00\x00\x00\x18",
    "caf": b"caff\x00\x01\x00\x00",
}


@settings(FUZZ, max_examples=MAGIC_EXAMPLES)
@given(magic=st.sampled_from(sorted(MAGIC)), tail=st.binary(max_size=4096))
def test_random_bytes_behind_audio_magic_are_transcribed_or_explained(local, tmp_path, magic, tail):
    transcribed_or_explained(local, tmp_path / "answer.audio", MAGIC[magic] + tail)


# ---------------------------------------------------------------- other containers, whole or cut short

ANY_RATE = st.integers(4000, 96000)
# FLAC's encoder takes any rate up to 65535 Hz, and above that only multiples of 10.
FLAC_RATES = st.one_of(st.integers(4000, 65535), st.integers(6554, 9600).map(lambda tens: 10 * tens))
MP3_RATES = st.sampled_from([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000])
OPUS_RATES = st.sampled_from([8000, 12000, 16000, 24000, 48000])
# format -> (subtypes, sample rates, most channels, file suffix)
CONTAINERS = {
    "FLAC": (["PCM_16", "PCM_24", "PCM_S8"], FLAC_RATES, 6, "flac"),
    "OGG": (["VORBIS"], ANY_RATE, 6, "ogg"),
    "OPUS": (["OPUS"], OPUS_RATES, 2, "ogg"),
    "MP3": (["MPEG_LAYER_III"], MP3_RATES, 2, "mp3"),
    "AIFF": (["PCM_16", "PCM_24", "FLOAT", "ULAW"], ANY_RATE, 6, "aiff"),
    "AU": (["PCM_16", "ALAW", "FLOAT"], ANY_RATE, 6, "au"),
    "CAF": (["PCM_16", "ALAC_16"], ANY_RATE, 6, "caf"),
    "W64": (["PCM_16", "FLOAT"], ANY_RATE, 6, "w64"),
}


@dataclass(frozen=True)
class Encoding:
    container: str
    subtype: str
    spec: WavSpec
    cut: float | None  # keep this fraction of the file, or all of it

    @property
    def suffix(self) -> str:
        return CONTAINERS[self.container][3]

    def encode(self, voice: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        wave = waveform(self.spec, voice).astype(np.float32)
        sf.write(buffer, wave, self.spec.rate, format="OGG" if self.container == "OPUS" else self.container,
                 subtype=self.subtype)  # fmt: skip
        raw = buffer.getvalue()
        return raw if self.cut is None else raw[: int(len(raw) * self.cut)]


@st.composite
def encodings(draw) -> Encoding:
    container = draw(st.sampled_from(sorted(CONTAINERS)))
    subtypes, container_rates, most_channels, _ = CONTAINERS[container]
    content = draw(st.sampled_from(["silence", "tone", "noise", "voice"]))
    spec = WavSpec(draw(container_rates), draw(st.integers(1, most_channels)), 4, draw(durations), content, FLOAT, 0)
    return Encoding(container, draw(st.sampled_from(subtypes)), spec, draw(st.one_of(st.none(), st.floats(0, 1))))


@settings(FUZZ, max_examples=OTHER_FORMAT_EXAMPLES)
@given(encoding=encodings())
def test_other_formats_whole_or_cut_short_are_transcribed_or_explained(local, tmp_path, voice, encoding):
    transcribed_or_explained(local, tmp_path / f"answer.{encoding.suffix}", encoding.encode(voice))
