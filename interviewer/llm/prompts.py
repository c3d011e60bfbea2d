"""Prompt templates: prompts/NAME.md with `$placeholders`, every one of which must be given."""

from __future__ import annotations

import string
from pathlib import Path

from interviewer.errors import SetupError


def render_prompt(prompt_dir: Path, name: str, **values: str) -> str:
    """Render prompts/NAME.md; `$placeholders` must all be provided (a missing one is an error)."""
    path = prompt_dir / f"{name}.md"
    try:
        template = string.Template(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SetupError(f"prompt file {path} is missing: reinstall or restore prompts/") from exc
    try:
        return template.substitute(values)
    except KeyError as exc:
        raise SetupError(f"prompt {name}.md needs a value for ${exc.args[0]}") from None
