"""Tasks for the multi-process tests: each appends a line to a file, so a test can count runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


def _note(path: str, line: str) -> None:
    # O_APPEND writes of one short line do not interleave between processes.
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


@task()
def probe(path: str, number: int, pause: float = 0.02) -> int:
    _note(path, f"{number} {os.getpid()}")
    time.sleep(pause)
    return number


@task()
def long_probe(path: str, seconds: float) -> str:
    """Long on the first attempt only (that worker gets killed); quick when run again."""
    first = not os.path.exists(path) or "start" not in Path(path).read_text(encoding="utf-8")
    _note(path, f"start {os.getpid()}")
    time.sleep(seconds if first else 0)
    _note(path, f"done {os.getpid()}")
    return "done"
