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
from interviewer.storage import Storage
from interviewer.store import QuestionStore


@dataclass
class Services:
    settings: Settings
    chat_model: ChatModel | None = field(default=None)
    use_configured_llm: bool = True

    @cached_property
    def bank(self) -> Bank:
        return load_bank(self.settings.bank_files())

    @cached_property
    def local_embedder(self) -> LocalEmbedder:
        return LocalEmbedder()

    @cached_property
    def embedder(self) -> Embedder:
        made = make_embedder(self.settings)
        return self.local_embedder if isinstance(made, LocalEmbedder) else made

    @cached_property
    def store(self) -> QuestionStore:
        """The store, ingested on first use if it holds nothing yet (ingest is idempotent and cheap)."""
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
    def grading(self) -> GradingService:
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
        made = Services(settings, chat_model=chat_model, use_configured_llm=False)
        for name in ("bank", "local_embedder", "embedder", "store"):
            made.__dict__[name] = getattr(self, name)
        if chat_model is None and self.model is None:
            made.__dict__["grading"] = self.grading  # an offline grader depends only on what is shared
        return made
