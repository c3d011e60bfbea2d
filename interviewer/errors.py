"""A small error hierarchy: setup mistakes vs runtime failures, turned into messages only at the edges."""


class InterviewerError(Exception):
    """Base class for every error the product raises on purpose."""


class SetupError(InterviewerError):
    """Something the user configured or supplied is wrong; the message says how to fix it."""


class BankError(SetupError):
    """A question bank file is invalid; `problems` lists `file: question id: what is wrong` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(InterviewerError):
    """The vector store could not be reached or used."""


class LLMError(InterviewerError):
    """A chat model call failed or returned something unusable. `retry_after`: seconds the server asked for."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class LLMTimeout(LLMError):
    """The model did not answer within the deadline."""


class LLMUnreachable(LLMError):
    """The model's server could not be reached (refused, dropped, DNS)."""


class LLMRateLimited(LLMError):
    """The server refused for now (HTTP 429); `retry_after` says when to come back, if it said."""
