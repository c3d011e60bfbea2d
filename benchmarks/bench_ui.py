"""UI figures: cold start (launch to first HTTP 200) beside a hello-world Gradio app, as a ratio; and typed
answer to feedback card latency in a real browser (Debian Chromium through Playwright).

Run: .venv/bin/python benchmarks/bench_ui.py [--runs 3] [--answers 8]
The app's data dir is a temporary copy with the store already built (as after `interviewer ingest`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a script's path starts at benchmarks/; the loopback helpers live in tests.servers

from tests.servers import free_port, wait_http  # noqa: E402

HELLO = """
import sys, gradio as gr
with gr.Blocks() as demo:
    gr.Textbox(label="hello")
demo.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), ssr_mode=False)
"""


def time_to_200(command: list[str], port: int, env: dict) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout=120, process=process, interval_s=0.05)
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--answers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = os.environ | {"INTERVIEWER_DATA_DIR": str(data)}
        subprocess.run([sys.executable, "-m", "interviewer.cli", "ingest"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        hello_file = Path(tmp) / "hello.py"
        hello_file.write_text(HELLO)
        ours, hello = [], []
        for _ in range(args.runs):
            port = free_port()
            hello.append(time_to_200([sys.executable, str(hello_file), str(port)], port, env))
            port = free_port()
            ours.append(time_to_200([sys.executable, str(ROOT / "app.py"), "--port", str(port)], port, env))
        a, b = statistics.median(ours), statistics.median(hello)
        print(f"cold start to first HTTP 200 (median of {args.runs}): app {a:.2f}s, hello-world Gradio {b:.2f}s "
              f"-> ratio {a / b:.2f}")  # fmt: skip
        feedback_latency(env, args.answers)


def feedback_latency(env: dict, answers: int) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("page-to-feedback: skipped (no chromium; scripts/install --system installs it)")
        return
    from playwright.sync_api import sync_playwright

    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout=60, process=process, interval_s=0.1)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless=new", "--no-sandbox",
                                        "--disable-gpu", "--disable-background-networking"])  # fmt: skip
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#questions input[type=number]").fill(str(answers))
            page.locator("#follow-ups input").uncheck()
            page.locator("#start").click()
            page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
            for number in range(answers):
                page.locator("#answer textarea").fill(f"it learns patterns from data to generalise, attempt {number}")
                marker = f"window.__n{number}"
                page.evaluate(f"{marker} = document.querySelector('#feedback').innerHTML")
                started = time.perf_counter()
                page.locator("#send").click()
                page.wait_for_function(f"document.querySelector('#feedback').innerHTML !== {marker} && "
                                       "document.querySelector('#feedback').innerText.includes('/5')")  # fmt: skip
                times.append(time.perf_counter() - started)
            browser.close()
        times.sort()
        print(f"typed answer to feedback card ({len(times)} answers): p50 {statistics.median(times):.3f}s, "
              f"max {times[-1]:.3f}s")  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
