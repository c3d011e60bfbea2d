"""The only files the app hands to a browser: each session's reports and the interviewer's voice.

They are written to a folder of their own per session, under one root made for this process (private, with a
random name, removed at exit); a session's folder name is an HMAC of its id under a per-process secret, so it
cannot be guessed from the id. Gradio copies what a handler returns into its own cache (random, hash-named
folders) and serves it from there: nothing else is ever served, never the data dir or the system temp dir.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import shutil
import tempfile
import time
from pathlib import Path

MAX_AGE_S = 3600  # a session folder untouched this long is removed (Gradio keeps its own copy an hour too)


class Downloads:
    def __init__(self, max_age_s: float = MAX_AGE_S):
        self.root = Path(tempfile.mkdtemp(prefix="interviewer-downloads-"))  # mode 0700
        self._secret = secrets.token_bytes(32)
        self._max_age_s = max_age_s

    def folder(self, session_id: str) -> Path:
        """This session's folder (created, and marked as used now)."""
        name = hmac.new(self._secret, session_id.encode(), hashlib.sha256).hexdigest()[:32]
        folder = self.root / name
        folder.mkdir(exist_ok=True)
        folder.touch()
        return folder

    def report(self, session_id: str, markdown: str, json_text: str) -> tuple[Path, Path]:
        """The report's Markdown and JSON files, rewritten in place: one folder per session, however often asked."""
        self.sweep()
        folder = self.folder(session_id)
        md_path, json_path = folder / f"report-{session_id[:8]}.md", folder / f"report-{session_id[:8]}.json"
        _write_atomically(md_path, markdown)
        _write_atomically(json_path, json_text)
        return md_path, json_path

    def audio(self, session_id: str, wav: Path) -> Path:
        """A copy of a synthesized line for this session (the TTS cache itself stays in the data dir, unserved)."""
        folder = self.folder(session_id)
        copy = folder / f"voice-{wav.stem[:16]}.wav"
        if not copy.exists():
            shutil.copyfile(wav, copy)
        return copy

    def sweep(self) -> int:
        """Remove session folders untouched for longer than the maximum age; returns how many went."""
        cutoff = time.time() - self._max_age_s
        removed = 0
        for folder in self.root.iterdir() if self.root.exists() else ():
            try:
                if folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
            except FileNotFoundError:  # swept by another request meanwhile
                continue
        return removed

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _write_atomically(path: Path, text: str) -> None:
    """Another request may be handing out the previous version: it sees the old file or the new, never half."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
