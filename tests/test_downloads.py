"""What the app hands a browser: one private folder per session, rewritten in place, swept when old."""

from __future__ import annotations

import os
import stat
import time

from interviewer.downloads import Downloads


def test_a_report_asked_for_many_times_stays_in_one_folder_per_session(tmp_path):
    downloads = Downloads()
    try:
        for _ in range(200):
            downloads.report("a" * 32, "# report", "{}")
        downloads.report("b" * 32, "# report", "{}")
        assert len(list(downloads.root.iterdir())) == 2
    finally:
        downloads.close()
    assert not downloads.root.exists()


def test_folder_names_do_not_reveal_the_session_and_the_root_is_private():
    first, second = Downloads(), Downloads()
    try:
        md, _ = first.report("0123456789abcdef0123456789abcdef", "# r", "{}")
        assert "0123456789abcdef0123456789abcdef" not in str(md.parent)
        assert md.parent.name != second.folder("0123456789abcdef0123456789abcdef").name, "a per-process secret"
        assert stat.S_IMODE(os.stat(first.root).st_mode) == 0o700
    finally:
        first.close()
        second.close()


def test_folders_untouched_for_longer_than_the_maximum_age_are_swept():
    downloads = Downloads(max_age_s=60)
    try:
        old = downloads.folder("old-session")
        os.utime(old, (time.time() - 120, time.time() - 120))
        fresh = downloads.folder("fresh-session")
        downloads.report("another", "# r", "{}")  # writing a report sweeps
        assert not old.exists() and fresh.exists()
    finally:
        downloads.close()


def test_the_voice_is_served_from_a_copy_in_the_sessions_folder(tmp_path):
    downloads = Downloads()
    try:
        cached = tmp_path / "tts-cache" / "0f1e2d3c4b5a69788796a5b4c3d2e1f0.wav"
        cached.parent.mkdir()
        cached.write_bytes(b"RIFF")
        copy = downloads.audio("s1", cached)
        assert copy.parent == downloads.folder("s1") and copy.read_bytes() == b"RIFF"
    finally:
        downloads.close()
