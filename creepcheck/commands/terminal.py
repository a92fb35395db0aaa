"""The terminal the commands write to: whether to colour, and a reader that has gone."""

from __future__ import annotations

import os
import sys
from typing import Any


def silence_closed_stdout() -> None:
    """The reader of stdout has gone (`| head`): what is left to write, and the flush at
    exit, go to the null device instead of failing with BrokenPipeError."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def color_wanted(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())
