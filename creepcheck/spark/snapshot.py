"""The campaign repository as the driver reads it, shipped to Spark executors.

Executors may run on other machines, where the repository is not. The driver takes the
files a run reads (config, policies, campaign files, templates) once, and every
executor lays them out in a private folder exactly as they lie under the driver's
working folder, then works from there: file names in findings, confinement and
fingerprints come out as in a local run. Files outside the working folder are laid
out under `OUTSIDE` and named back with `driver_name`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from creepcheck.errors import UserError

OUTSIDE = "__outside__"
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_FILES = 20_000
# Audience data is read by Spark itself, never shipped with the repository.
DATA_SUFFIXES = frozenset({".parquet", ".duckdb", ".db", ".orc", ".avro", ".arrow", ".feather"})


@dataclass(frozen=True)
class Snapshot:
    """File contents by their name under the mirror folder, and the git checkouts
    (folders that held `.git`) so that the repository root is found as on the driver."""

    files: dict[str, bytes] = field(default_factory=dict)
    checkouts: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(hashlib.sha256(self.files[name]).digest())
        for checkout in self.checkouts:
            digest.update(b"git\0" + checkout.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def mirror_name(path: Path | str, cwd: Path) -> str:
    """Where a driver path lies in the mirror folder (relative, POSIX)."""
    absolute = Path(os.path.abspath(path))
    if absolute == cwd:
        return "."
    if absolute.is_relative_to(cwd):
        return absolute.relative_to(cwd).as_posix()
    return OUTSIDE + absolute.as_posix()


def driver_name(name: str | None) -> str | None:
    """A file name as an executor shows it, as the driver would show it."""
    if name and name.startswith(OUTSIDE + "/"):
        return name[len(OUTSIDE) :]
    return name


def take(roots: Iterable[Path], files: Iterable[Path], skip: Iterable[Path] = ()) -> Snapshot:
    """The files under `roots` (dot-folders, audience data and `skip` left out) and
    the single `files`, named as in the mirror."""
    cwd = Path(os.path.abspath(Path.cwd()))
    skipped = {Path(os.path.abspath(p)) for p in skip}
    taken: dict[str, bytes] = {}
    total = 0
    checkouts: set[str] = set()
    paths = [p for root in _outermost(roots) for p in _walk(root)]
    paths += [Path(os.path.abspath(p)) for p in files if Path(p).is_file()]
    for path in paths:
        if path in skipped or path.suffix.lower() in DATA_SUFFIXES:
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            content = path.read_bytes()
        except OSError:
            continue  # unreadable here too: the run on the driver reports it
        name = mirror_name(path, cwd)
        if name not in taken:
            taken[name] = content
            total += len(content)
        if len(taken) > MAX_FILES or total > MAX_TOTAL_BYTES:
            raise UserError(
                f"the campaign repository is too large to ship to Spark executors (over "
                f"{MAX_FILES} files or {MAX_TOTAL_BYTES // 2**20} MB): add a creepcheck.yaml "
                "at the repository's root, or run from its folder"
            )
    for root in roots:
        checkout = _checkout(Path(os.path.abspath(root)))
        if checkout is not None:
            checkouts.add(mirror_name(checkout, cwd))
    return Snapshot(taken, tuple(sorted(checkouts)))


def materialize(snapshot: Snapshot, digest: str) -> Path:
    """The snapshot laid out in a private folder of this machine, once per snapshot."""
    folder = Path(tempfile.gettempdir()) / f"creepcheck-spark-{digest[:20]}"
    if (folder / ".complete").exists():
        return folder
    building = Path(tempfile.mkdtemp(prefix="creepcheck-spark-"))
    try:
        for name, content in snapshot.files.items():
            target = building / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        for checkout in snapshot.checkouts:
            (building / checkout / ".git").mkdir(parents=True, exist_ok=True)
        (building / ".complete").touch()
        os.replace(building, folder)  # another worker may have won: use its copy
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        if not (folder / ".complete").exists():
            raise
    return folder


def _outermost(roots: Iterable[Path]) -> list[Path]:
    ordered = sorted({Path(os.path.abspath(r)) for r in roots}, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for root in ordered:
        if not any(root.is_relative_to(k) for k in kept):
            kept.append(root)
    return kept


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    real_root = root.resolve()
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder, name)
            # A link out of the repository is refused by the local run's confinement;
            # shipped as a plain file it would be let in.
            if not path.is_symlink() or path.resolve().is_relative_to(real_root):
                yield path


def _checkout(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
