"""Browser tests: the real app in a subprocess, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port, wait_http

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]  # fmt: skip


class App:
    """`python app.py` on a free port with its own data dir (the shared store is copied in)."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = os.environ | {"INTERVIEWER_DATA_DIR": str(data_dir)} | (env or {})
        self.process: subprocess.Popen | None = None

    def start(self) -> App:
        root = Path(__file__).resolve().parents[2]
        log = open(self.data_dir / f"app-{self.port}.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, str(root / "app.py"), "--port", str(self.port)],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        wait_http(self.url)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def running_app(app_data) -> Iterator[App]:
    app = App(app_data).start()
    yield app
    app.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
