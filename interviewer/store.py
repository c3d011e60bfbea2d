"""The Chroma store: idempotent ingest of the bank, and matching a free-text question to the bank question it means.

The store is an index for matching only. Grading reads the bank itself, already loaded and validated in memory
(`Services.bank`): the bank files are the source of truth, and a grade never waits on a store lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from interviewer.bank import Bank, Question, content_hash
from interviewer.config import Settings
from interviewer.embeddings import Embedder
from interviewer.errors import StoreError
from interviewer.matching import ACRONYMS, acronyms_from, normalise_query

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Metadata, Where
    from chromadb.base_types import InclusionExclusionOperator, LiteralValue

# Documents embedded per question: how the question may be asked, and what answers it. When matching a
# free-text question, a hit on what answers a question counts a little less than a hit on how it is asked.
MATCH_WEIGHTS = {"question": 1.0, "spoken": 1.0, "alias": 1.0, "key_point": 0.9, "reference": 0.9}
# What a question is about, for matching a text that describes subjects rather than asks (a job description).
SUBJECT_KINDS = ("question", "key_point", "reference")


@dataclass
class IngestSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents_embedded: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class Match:
    question_id: str
    similarity: float


def _client(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_mode == "server":
            assert settings.chroma_host is not None  # server mode means a host is set
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises several unrelated types here
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_mode == "server"
            else f"the embedded store in {settings.chroma_path}"
        )
        raise StoreError(f"cannot open {where}: {exc}. Check INTERVIEWER_CHROMA_HOST/PORT or the data dir.") from exc


def _documents(question: Question) -> list[tuple[str, str, dict[str, str]]]:
    """(doc id, text, metadata) for every embedded piece of one question."""
    base = {"question_id": question.id, "track": question.track, "group": question.group}
    docs = [(f"{question.id}::question", question.text, {**base, "doc_kind": "question"})]
    docs += [
        (f"{question.id}::spoken::{i}", text, {**base, "doc_kind": "spoken"}) for i, text in enumerate(question.spoken)
    ]
    docs += [
        (f"{question.id}::alias::{i}", text, {**base, "doc_kind": "alias"}) for i, text in enumerate(question.aliases)
    ]
    docs.append((f"{question.id}::reference", question.reference_answer, {**base, "doc_kind": "reference"}))
    docs += [
        (f"{question.id}::kp::{p.id}", p.text, {**base, "doc_kind": "key_point", "key_point_id": p.id})
        for p in question.key_points
    ]
    return docs


def _doc_kind_in(kinds: Iterable[str]) -> Where:
    """The filter for documents of any of these kinds (typed step by step: mypy cannot infer a nested `Where`)."""
    inclusion: dict[InclusionExclusionOperator, list[LiteralValue]] = {"$in": list(kinds)}
    return {"doc_kind": inclusion}


class QuestionStore:
    """Questions, references and key points in a Chroma collection, embedded with our own embedder."""

    def __init__(self, settings: Settings, embedder: Embedder):
        self._settings = settings
        self._embedder = embedder
        self._client = _client(settings)
        self._collection = self._open_collection()
        self._acronym_cache: dict[str, str] | None = None

    def _open_collection(self) -> Collection:
        name = self._settings.chroma_collection
        try:
            collection = self._client.get_or_create_collection(
                name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self._embedder.name},
            )
        except Exception as exc:
            raise StoreError(f"cannot open the Chroma collection {name!r}: {exc}") from exc
        stored_embedder = (collection.metadata or {}).get("embedder")
        if stored_embedder not in (None, self._embedder.name):
            raise StoreError(
                f"the store was built with embeddings {stored_embedder!r}, not {self._embedder.name!r}: "
                "run `interviewer ingest --reset`"
            )
        return collection

    def reset(self) -> None:
        try:
            self._client.delete_collection(self._settings.chroma_collection)
        except Exception:  # absent already: nothing to delete
            pass
        self._collection = self._open_collection()
        self._acronym_cache = None

    def count(self) -> int:
        return self._collection.count()

    def ingest(self, bank: Bank, progress: Callable[[int, int], None] | None = None) -> IngestSummary:
        """Embed new or edited questions only (content hashes); drop questions no longer in the bank."""
        summary = IngestSummary()
        stored = self._stored_hashes()
        todo: list[tuple[Question, str]] = []
        for question in bank.questions:
            digest = content_hash(question)
            if stored.get(question.id) == digest:
                summary.unchanged.append(question.id)
            else:
                (summary.updated if question.id in stored else summary.added).append(question.id)
                todo.append((question, digest))
        summary.removed = sorted(set(stored) - {q.id for q in bank.questions})
        for question_id in summary.removed + summary.updated:
            self._collection.delete(where={"question_id": question_id})
        for done, (question, digest) in enumerate(todo, start=1):
            docs = _documents(question)
            vectors = self._embedder.embed([text for _, text, _ in docs])
            metadatas: list[Metadata] = [{**meta, "content_hash": digest} for _, _, meta in docs]
            self._collection.upsert(
                ids=[doc_id for doc_id, _, _ in docs],
                documents=[text for _, text, _ in docs],
                embeddings=vectors.tolist(),
                metadatas=metadatas,
            )
            summary.documents_embedded += len(docs)
            if progress:
                progress(done, len(todo))
        self._acronym_cache = None
        return summary

    def _stored_hashes(self) -> dict[str, str]:
        got = self._collection.get(where={"doc_kind": "question"}, include=["metadatas"])
        return {str(meta["question_id"]): str(meta["content_hash"]) for meta in got["metadatas"] or []}

    def question_ids(self) -> list[str]:
        return sorted(self._stored_hashes())

    def match(self, text: str, threshold: float | None = None) -> Match | None:
        """The bank question a free-text question means, or None below the similarity threshold."""
        best = self.match_candidates(text, k=1)
        limit = self._settings.match_threshold if threshold is None else threshold
        return best[0] if best and best[0].similarity >= limit else None

    def match_candidates(self, text: str, k: int = 5) -> list[Match]:
        query = normalise_query(text, self._acronyms())
        return self._nearest(query, _doc_kind_in(MATCH_WEIGHTS), k, MATCH_WEIGHTS)

    def about(self, text: str, k: int = 10) -> list[Match]:
        """The questions whose subject (question, key points, reference answer) is nearest to `text` in meaning."""
        return self._nearest(normalise_query(text, self._acronyms()), _doc_kind_in(SUBJECT_KINDS), k)

    def _acronyms(self) -> dict[str, str]:
        if self._acronym_cache is None:
            got = self._collection.get(where={"doc_kind": "question"}, include=["documents"])
            self._acronym_cache = {**ACRONYMS, **acronyms_from(got["documents"] or [])}
        return self._acronym_cache

    def _nearest(self, text: str, where: Where, k: int, weights: dict[str, float] | None = None) -> list[Match]:
        if not text.strip() or self.count() == 0:
            return []
        vector = self._embedder.embed([text])[0]
        result = self._collection.query(
            query_embeddings=[vector.tolist()],
            n_results=min(k * 16, 96),
            where=where,
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        metadatas, distances = result["metadatas"], result["distances"]
        assert metadatas is not None and distances is not None  # both are in `include`
        for meta, distance in zip(metadatas[0], distances[0], strict=True):
            qid = str(meta["question_id"])
            weight = (weights or {}).get(str(meta["doc_kind"]), 1.0)
            best[qid] = max(best.get(qid, -1.0), weight * (1.0 - float(distance)))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:k]
        return [Match(qid, round(sim, 4)) for qid, sim in ranked]
