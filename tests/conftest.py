"""Every test gets its own data dir, no LLM configured, and real model classes that refuse the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interviewer.bank import Bank, load_bank
from interviewer.config import DEFAULT_BANK_DIR, Settings
from interviewer.embeddings import LocalEmbedder
from interviewer.services import Services

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_LLM_ENV = ("OPENAI_API_KEY", "INTERVIEWER_LLM_API_KEY", "INTERVIEWER_LLM_BASE_URL", "INTERVIEWER_CHROMA_HOST",
            "INTERVIEWER_DATABASE_URL", "INTERVIEWER_AUTH")  # fmt: skip


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path / "data"))
    for name in _LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    yield


@pytest.fixture(scope="session")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(sorted(DEFAULT_BANK_DIR.glob("*.yaml")))


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory) -> Path:
    """One ingested store shared by read-only tests (ingesting costs a few seconds)."""
    return tmp_path_factory.mktemp("shared-data")


@pytest.fixture(scope="session")
def services(shared_data_dir, embedder):

    os.environ["INTERVIEWER_LOOPBACK_ONLY"] = "1"
    made = Services(Settings(data_dir=shared_data_dir), use_configured_llm=False, loaded_embedder=embedder)
    assert made.store.count() > 0  # ingested once for the session
    return made


@pytest.fixture(scope="session")
def grading(services):
    return services.grading


@pytest.fixture
def fresh(services, tmp_path) -> Services:
    """Services sharing the session's store and models, with a database of its own."""
    return services.sharing_models(
        services.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    )


@pytest.fixture
def shared_store(monkeypatch, services):
    """Point the CLI at the session's already-ingested store (ingesting costs seconds)."""
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))


@pytest.fixture
def app_data(tmp_path, services) -> Path:
    """A data dir for an app process, with the session's store copied in (no ingest on start)."""
    import shutil

    data = tmp_path / "app-data"
    shutil.copytree(services.settings.data_dir / "chroma", data / "chroma")
    return data


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright per test session (its sync API cannot be started twice in one thread)."""
    import shutil

    if shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (scripts/install --system installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    import shutil

    from .browser.conftest import CHROMIUM_ARGS

    launched = playwright_instance.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
    yield launched
    launched.close()
