"""Offline speech to text: word error rate with and without priming, clean and noisy, and the real-time factor.

Run: .venv/bin/python benchmarks/bench_speech.py [evals/speech/answers.jsonl] [--snr-db 20]
Each reference answer is spoken by Piper (the app's own voice, prosody noise off so every run hears the same
audio), then a noisy copy gets white noise at the given signal-to-noise ratio. Every file is transcribed three ways: no priming at all, the domain vocabulary only (what
`interviewer transcribe FILE` does) and the vocabulary plus the question (`--context`, what the app does).
WER ignores case, punctuation and filler words. RTF = processing time / audio duration, models loaded.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from interviewer.config import DEFAULT_EVALS_DIR
from interviewer.evaluation.wer import word_error_rate
from interviewer.fillers import count as count_fillers
from interviewer.speech import DOMAIN_PROMPT, PiperTTS, WhisperSTT

PRIMINGS = {  # name -> (vocabulary, use the item's context)
    "none": ("", False),
    "vocabulary": (DOMAIN_PROMPT, False),
    "vocabulary + context": (DOMAIN_PROMPT, True),
}


def _noisy_copy(clean: Path, target: Path, snr_db: float, rng: np.random.Generator) -> Path:
    audio, rate = sf.read(clean, dtype="float32")
    signal_rms = float(np.sqrt(np.mean(audio**2)))
    noise = rng.standard_normal(len(audio)).astype(np.float32) * signal_rms / 10 ** (snr_db / 20)
    sf.write(target, np.clip(audio + noise, -1, 1), rate, subtype="PCM_16")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="?", type=Path, default=DEFAULT_EVALS_DIR / "speech" / "answers.jsonl")
    parser.add_argument("--snr-db", type=float, default=20.0, help="noise level of the noisy copies")
    parser.add_argument("--show", action="store_true", help="print every transcript")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as work:
        run(args, Path(work))


def run(args: argparse.Namespace, work: Path) -> None:
    items = [json.loads(line) for line in args.answers.read_text().splitlines() if line.strip()]
    rng = np.random.default_rng(0)

    started = time.perf_counter()
    tts = PiperTTS(work / "tts", deterministic=True)  # the same audio on every run: comparable figures
    files = {}
    for item in items:
        clean = tts.synthesize(item["text"])
        files[item["id"]] = {
            "clean": clean,
            "noisy": _noisy_copy(clean, work / f"{item['id']}-noisy.wav", args.snr_db, rng),
        }
    synth_s = time.perf_counter() - started
    durations = {i["id"]: sf.info(files[i["id"]]["clean"]).duration for i in items}

    started = time.perf_counter()
    WhisperSTT().model()
    load_s = time.perf_counter() - started

    rows = []
    for condition in ("clean", "noisy"):
        for priming, (vocabulary, with_context) in PRIMINGS.items():
            stt = WhisperSTT(vocabulary=vocabulary)
            wers, seconds, heard, unclear = [], 0.0, 0, 0
            for item in items:
                started = time.perf_counter()
                result = stt.transcribe(files[item["id"]][condition], item["context"] if with_context else None)
                seconds += time.perf_counter() - started
                wers.append(word_error_rate(item["text"], result.text))
                heard += sum(result.fillers.values())
                unclear += result.unclear
                if args.show:
                    print(f"  [{condition}, {priming}] {item['id']} WER {wers[-1]:.3f}: {result.text}")
            rtf = seconds / sum(durations.values())
            rows.append((condition, priming, statistics.mean(wers), max(wers), rtf, heard, unclear))

    said = sum(sum(count_fillers(i["text"]).values()) for i in items)
    longest = max(items, key=lambda i: durations[i["id"]])
    stt = WhisperSTT()
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        stt.transcribe(files[longest["id"]]["clean"], longest["context"])
        runs.append(time.perf_counter() - started)
    long_rtf = statistics.median(runs) / durations[longest["id"]]

    total = sum(durations.values())
    print(f"{len(items)} answers, {total:.0f} s of Piper speech (synthesised in {synth_s:.1f} s), "
          f"noisy copies at {args.snr_db:g} dB SNR; whisper tiny.en int8 beam 5, loaded in {load_s:.1f} s")  # fmt: skip
    print(f"{'audio':<6} {'priming':<22} {'mean WER':>8} {'max WER':>8} {'RTF':>6} {'fillers':>8} {'unclear':>7}")
    for condition, priming, mean, worst, rtf, heard, unclear in rows:
        print(f"{condition:<6} {priming:<22} {mean:8.3f} {worst:8.3f} {rtf:6.3f} {heard:>3}/{said:<4} {unclear:>7}")
    print(f"longest answer ({longest['id']}, {durations[longest['id']]:.1f} s, vocabulary + context): "
          f"median {statistics.median(runs):.2f} s, RTF {long_rtf:.3f} ({1 / long_rtf:.0f}x real time); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
