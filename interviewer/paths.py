"""One line saying why a path given by the user is not a file that can be read."""

from __future__ import annotations

from pathlib import Path


def file_problem(path: Path, what: str) -> str | None:
    """None when `path` is a regular file; otherwise what is wrong, naming it as `what` ("bank file", ...)."""
    if path.is_file():
        return None
    if path.is_dir():
        return f"{what} {path} is a directory, not a file: give the path of a file inside it"
    if path.exists():
        return f"{what} {path} is not a regular file"
    return f"{what} {path} does not exist"
