"""Files that land whole or not at all, each writer with its own temporary file.

Two runs writing the same report or baseline at once must not share a temporary file:
one run's `--show-pii` report could otherwise be published under the other's name.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def replaced_atomically(path: Path) -> Iterator[TextIO]:
    """A text stream to a new temporary file beside `path` (a unique name, readable by
    its owner only while written) that replaces `path` when the block ends, with the
    permissions `path` had, or else those a new file gets; on any error the temporary
    file is removed and `path` is left as it was. OSError when it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.chmod(temporary, _final_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _final_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # a new file: what open() would create under the umask
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
