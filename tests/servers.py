"""Real servers for tests, started on loopback: PostgreSQL (Debian's packages) and Chroma (`chroma run`).

Also the one copy of the loopback helpers (a free port, waiting for a port or an HTTP 200); benchmarks import them too.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def wait_http(
    url: str, timeout: float = 90.0, process: subprocess.Popen | None = None, interval_s: float = 0.2
) -> None:
    """Return once `url` answers HTTP 200; raise if `process` exits first or nothing answers within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with code {process.returncode} before {url} answered")
        time.sleep(interval_s)
    raise RuntimeError(f"{url} did not answer within {timeout:g}s")


class Postgres:
    """A throwaway PostgreSQL cluster in a temp dir, as the `postgres` user when run as root."""

    def __init__(self, directory: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise FileNotFoundError("PostgreSQL is not installed (scripts/install --system installs it)")
        self.bin = Path(found[-1]).parent
        self.dir = directory
        self.port = free_port()
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/interviewer"

    def start(self) -> Postgres:
        self.dir.mkdir(parents=True, exist_ok=True)
        if self._as:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir.parent, 0o755)
        run = lambda *args: subprocess.run(self._as + list(args), check=True, capture_output=True)  # noqa: E731
        run(str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")
        run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")  # fmt: skip
        wait_port(self.port)
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE interviewer")
        return self

    def stop(self) -> None:
        subprocess.run(self._as + [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"],
                       capture_output=True)  # fmt: skip


class ChromaServer:
    def __init__(self, directory: Path):
        self.dir = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> ChromaServer:
        chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        self.dir.mkdir(parents=True, exist_ok=True)
        log = open(self.dir / "server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen([chroma, "run", "--path", str(self.dir), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
