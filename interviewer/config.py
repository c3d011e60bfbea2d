"""One settings object, read once at the entry point from INTERVIEWER_* variables or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from interviewer.errors import SetupError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """A folder the wheel ships inside the package (interviewer/knowledge), or, in a source checkout or an
    editable install, the repository's top-level folder of that name."""
    inside = Path(__file__).resolve().parent / name
    return inside if inside.is_dir() else PROJECT_ROOT / name


DEFAULT_BANK_DIR = _shipped("knowledge")
DEFAULT_PROMPT_DIR = _shipped("prompts")
DEFAULT_EVALS_DIR = PROJECT_ROOT / "evals"  # the project's own eval sets: in a source checkout only


_SECRET = {"auth", "llm_api_key"}  # never echoed in an error message


class Settings(BaseSettings):
    """Everything configurable. Build it once with `Settings.load()` and pass it down."""

    model_config = SettingsConfigDict(env_prefix="INTERVIEWER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".interviewer"), description="Store, database, caches, eval runs.")
    bank_dir: Path = DEFAULT_BANK_DIR
    prompt_dir: Path = DEFAULT_PROMPT_DIR
    evals_dir: Path = DEFAULT_EVALS_DIR

    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("INTERVIEWER_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_timeout_s: float = Field(default=20.0, gt=0, le=600)
    llm_max_retries: int = Field(default=1, ge=0, le=5)

    embeddings: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"

    database_url: str | None = None
    chroma_host: str | None = None
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    chroma_collection: str = "interviewer-questions"
    # 0.6: measured on paraphrases (evals/retrieval) and near-miss questions (same topic, another question) in
    # evals/retrieval/near-misses.jsonl; see evals/thresholds.yaml (retrieval-near-miss).
    match_threshold: float = Field(default=0.6, ge=0, le=1, description="Min similarity to match a question.")

    # INTERVIEWER_AUTH: `user:password` pairs separated by commas, or the path of a file with one pair per line.
    auth: Annotated[list[tuple[str, str]] | None, NoDecode] = None
    speech_engine: Literal["auto", "local", "openai"] = Field(
        default="auto", description="auto: OpenAI speech when a key is set, else local; local keeps audio here."
    )
    # Remote models and speech may only be reached on 127.0.0.1 / localhost: the tests set it, so nothing they
    # run can reach the network even when a key is configured.
    loopback_only: bool = False

    @field_validator("llm_base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        problem = "expected an http(s) URL such as http://127.0.0.1:8080/v1"
        if any(ch.isspace() for ch in value):
            raise ValueError(problem)
        parsed = urlparse(value)
        try:
            parsed.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError:
            raise ValueError(problem + " (the port must be 1-65535)") from None
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(problem)
        return value

    @field_validator("auth", mode="before")
    @classmethod
    def _parse_auth(cls, value: object) -> object:
        if not isinstance(value, str):
            return value  # already pairs (or None)
        if not value.strip():
            return None
        text = Path(value).read_text(encoding="utf-8") if Path(value).is_file() else value
        pairs = []
        for item in text.replace("\n", ",").split(","):
            if item.strip():
                user, sep, password = item.strip().partition(":")
                if not sep or not user.strip() or not password:
                    raise ValueError("expected user:password pairs separated by commas, or a file of them")
                pairs.append((user.strip(), password))
        return pairs

    @field_validator("llm_api_key", "chroma_host", "database_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Build settings; a bad value raises SetupError naming the variable and what it accepts."""
        try:
            return cls(**overrides)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err["loc"] else "?"
            name = field if field.isupper() else f"INTERVIEWER_{field.upper()}"
            shown = "" if field in _SECRET else f" (got {err.get('input')!r})"
            raise SetupError(f"{name}: {err['msg']}{shown}") from None

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_api_key or self.llm_base_url)

    @property
    def chroma_mode(self) -> Literal["embedded", "server"]:
        return "server" if self.chroma_host else "embedded"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'interviewer.db').resolve()}"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"

    def bank_files(self, extra: list[Path] | None = None) -> list[Path]:
        """Our bank files plus any user bank files saved into the data dir or passed in."""
        user_dir = self.data_dir / "banks"
        files = sorted(self.bank_dir.glob("*.yaml")) + sorted(user_dir.glob("*.yaml"))
        return files + [p for p in (extra or []) if p not in files]
