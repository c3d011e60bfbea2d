"""The Chroma store, embedded and as a real server: idempotent ingest, references, related, matching."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer.bank import Bank
from interviewer.config import Settings
from interviewer.store import QuestionStore
from tests.servers import free_port, wait_port


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on loopback, stopped after the module."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_port(port)
    except RuntimeError:
        process.kill()
        pytest.fail("chroma server did not start: " + (path / "server.log").read_text()[-2000:])
    yield port
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(params=["embedded", "server"])
def make_store(request, tmp_path, embedder):
    """A factory of stores on the same backing data (each call reopens it, as a new process would)."""
    if request.param == "server":
        port = request.getfixturevalue("chroma_server")
        collection = f"test-{abs(hash(request.node.name)) % 10**8}"
        settings = Settings(data_dir=tmp_path, chroma_host="127.0.0.1", chroma_port=port, chroma_collection=collection)
    else:
        settings = Settings(data_dir=tmp_path)

    def make() -> QuestionStore:
        return QuestionStore(settings, embedder)

    yield make
    make().reset()


@pytest.fixture(scope="module")
def small_bank(bank) -> Bank:
    keep = ["intermediate-01-overfitting", "intermediate-02-avoid-overfitting", "basics-08-test-set",
            "advanced-03-cnn", "behavioral-03-favorite-resources"]  # fmt: skip
    return Bank(questions=[bank.get(q) for q in keep])


def test_second_ingest_changes_nothing(make_store, small_bank):
    first = make_store().ingest(small_bank)
    assert len(first.added) == 5 and first.documents_embedded > 5
    second = make_store().ingest(small_bank)
    assert not second.changed and second.documents_embedded == 0 and len(second.unchanged) == 5


def test_editing_one_question_re_embeds_only_that_one(make_store, small_bank):
    make_store().ingest(small_bank)
    edited = small_bank.questions[0].model_copy(update={"reference_answer": "An edited reference answer, long enough."})
    summary = make_store().ingest(Bank(questions=[edited, *small_bank.questions[1:]]))
    assert summary.updated == [edited.id] and not summary.added and len(summary.unchanged) == 4
    again = make_store().ingest(Bank(questions=[edited, *small_bank.questions[1:]]))
    assert not again.changed, "the store now holds the edited version"


def test_removed_questions_leave_the_store(make_store, small_bank):
    make_store().ingest(small_bank)
    summary = make_store().ingest(Bank(questions=small_bank.questions[1:]))
    assert summary.removed == [small_bank.questions[0].id]
    assert small_bank.questions[0].id not in make_store().question_ids()


def test_reset_rebuilds_from_nothing(make_store, small_bank):
    make_store().ingest(small_bank)
    store = make_store()
    store.reset()
    assert store.count() == 0
    assert len(store.ingest(small_bank).added) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("so um what's overfitting", "intermediate-01-overfitting"),
        ("how do you stop a model from overfitting", "intermediate-02-avoid-overfitting"),
        ("what's a CNN", "advanced-03-cnn"),
        ("what's the capital of France", None),
        ("how are you today", None),
    ],
)
def test_match_maps_free_text_to_the_bank_question_or_nothing(make_store, small_bank, text, expected):
    store = make_store()
    store.ingest(small_bank)
    found = store.match(text)
    assert (found.question_id if found else None) == expected


def test_a_store_built_with_other_embeddings_asks_for_a_reset(tmp_path, embedder, small_bank):
    settings = Settings(data_dir=tmp_path)
    QuestionStore(settings, embedder).ingest(small_bank)

    class Other:
        name = "other-model"

        def embed(self, texts):
            return embedder.embed(texts)

    with pytest.raises(Exception, match="ingest --reset"):
        QuestionStore(settings, Other())
