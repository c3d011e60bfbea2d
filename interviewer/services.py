"""The composition root: builds the product's parts from one Settings object, lazily, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from interviewer.bank import Bank, load_bank
from interviewer.config import Settings
from interviewer.embeddings import Embedder, LocalEmbedder, make_embedder
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.service import GradingService
from interviewer.interview import Interview
from interviewer.llm import ChatModel, model_from_settings
from interviewer.llm_interviewer import LLMInterviewer
from interviewer.speech import SpeechToText, TextToSpeech, make_stt, make_tts
from interviewer.storage import Storage
from interviewer.store import QuestionStore


@dataclass
class Services:
    """Every part of the product, each built on first use from `settings` and then kept.

    `chat_model` replaces the configured one (the stub, in tests and evals); `loaded_embedder` is a local model
    already loaded (loading costs seconds); `models_from` shares another Services' bank, models and store.
    """

    settings: Settings
    chat_model: ChatModel | None = field(default=None)
    use_configured_llm: bool = True
    loaded_embedder: LocalEmbedder | None = None
    models_from: Services | None = None

    @cached_property
    def bank(self) -> Bank:
        return self.models_from.bank if self.models_from else load_bank(self.settings.bank_files())

    @cached_property
    def local_embedder(self) -> LocalEmbedder:
        if self.models_from:
            return self.models_from.local_embedder
        return self.loaded_embedder or LocalEmbedder()

    @cached_property
    def embedder(self) -> Embedder:
        if self.models_from:
            return self.models_from.embedder
        made = make_embedder(self.settings)
        return self.local_embedder if isinstance(made, LocalEmbedder) else made

    @cached_property
    def store(self) -> QuestionStore:
        """The store, ingested on first use if it holds nothing yet (ingest is idempotent and cheap)."""
        if self.models_from:
            return self.models_from.store
        store = QuestionStore(self.settings, self.embedder)
        if store.count() == 0:
            store.ingest(self.bank)
        return store

    @cached_property
    def model(self) -> ChatModel | None:
        if self.chat_model is not None:
            return self.chat_model
        return model_from_settings(self.settings) if self.use_configured_llm else None

    @cached_property
    def storage(self) -> Storage:
        return Storage(self.settings.db_url)

    @cached_property
    def interview(self) -> Interview:
        llm = None
        if self.model is not None:
            llm = LLMInterviewer(self.model, self.bank, self.settings.prompt_dir, self.settings.llm_timeout_s,
                                 self.settings.llm_max_retries)  # fmt: skip
        return Interview(self.bank, self.grading, self.storage, llm)

    @cached_property
    def stt(self) -> SpeechToText:
        return make_stt(self.settings)

    @cached_property
    def tts(self) -> TextToSpeech:
        return make_tts(self.settings)

    @cached_property
    def grading(self) -> GradingService:
        if self.models_from and self.chat_model is None and self.models_from.model is None:
            return self.models_from.grading  # an offline grader depends only on what is shared
        offline = OfflineGrader(self.local_embedder)
        llm = None
        if self.model is not None:
            llm = LLMGrader(self.model, self.settings.prompt_dir, self.settings.llm_timeout_s,
                            self.settings.llm_max_retries, offline.evidence_coverage)  # fmt: skip
        return GradingService(self.bank, self._match_in_store, offline, llm)

    def _match_in_store(self, question: str) -> str | None:
        """The bank question a free-text question means, by the store's nearest match (above its threshold)."""
        found = self.store.match(question)
        return found.question_id if found else None

    def sharing_models(self, settings: Settings, chat_model: ChatModel | None = None) -> Services:
        """Services with their own settings (database) and chat model, reusing this one's loaded models and store."""
        return Services(settings, chat_model=chat_model, use_configured_llm=False, models_from=self)
