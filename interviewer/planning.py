"""Which questions an interview asks when they are chosen for the candidate: a review of what is due, or a job."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from interviewer.bank import Bank
from interviewer.job_fit import Nearest, job_plan
from interviewer.mastery import PointMastery, review_plan
from interviewer.session import PlannedQuestion, SessionConfig

if TYPE_CHECKING:
    from interviewer.services import Services


def planned(config: SessionConfig, chosen: list[PlannedQuestion]) -> SessionConfig:
    """The config that asks exactly these questions, in this order, saying why each was chosen."""
    return config.model_copy(update={"question_ids": [c.question_id for c in chosen],
                                     "reasons": {c.question_id: c.reason for c in chosen}})  # fmt: skip


def for_review(config: SessionConfig, mastery: list[PointMastery], bank: Bank, now: datetime | None = None
               ) -> SessionConfig:  # fmt: skip
    """An interview of the questions whose weak key points are due (NothingToReview when none is)."""
    return planned(config, review_plan(mastery, bank, config.tracks, config.questions, now))


def for_job(config: SessionConfig, description: str, nearest: Nearest, bank: Bank) -> SessionConfig:
    """An interview of the questions most relevant to a job description."""
    return planned(config, job_plan(description, nearest, bank, config.tracks, config.questions))


def aimed(config: SessionConfig, services: Services, user: str, review: bool = False, job: str | None = None
          ) -> SessionConfig:  # fmt: skip
    """The config as asked for: a review of `user`'s due weak points, or the questions a job needs (a review
    wins when both are asked), or the config as it is."""
    if review:
        return for_review(config, services.storage.mastery(user), services.bank)
    if job is not None:
        return for_job(config, job, services.store.about, services.bank)
    return config
