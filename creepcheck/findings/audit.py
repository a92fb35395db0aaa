"""The facts a reviewer needs to trust a report: when the run was, with which creepcheck,
under which policy, on which inputs, at which commit.

Inputs are named with a SHA-256 of their bytes, so a reviewer can tell whether the
campaign, templates, profiles and policy checked are the ones that were sent. The commit
is read from the local repository (`git rev-parse`, bounded in time, never the network);
a folder that is not a repository, or a machine without git, simply has none.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign
from creepcheck.policy import Policy
from creepcheck.version import __version__

GIT_TIMEOUT = 2.0  # seconds: a hung filesystem or hook must not hold up the report
CHUNK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    kind: str  # campaign | template | profiles
    path: str  # as shown in messages (relative to the working folder when inside it)
    sha256: str | None  # None: not a regular file (a database, a folder) or unreadable


@dataclass(frozen=True)
class Audit:
    started: datetime  # timezone-aware, UTC
    seconds: float
    version: str
    policy_files: tuple[str, ...]  # merged, base first (`builtin:default`, files)
    policy_sha256: str  # of the effective merged policy, as `policy show` would print it
    inputs: tuple[InputFile, ...]
    git_commit: str | None


def build_audit(
    started: datetime,
    seconds: float,
    policy: Policy,
    campaigns: Iterable[Campaign],
    profile_sources: Iterable[Path],
    repository: Path,
) -> Audit:
    campaigns = list(campaigns)
    inputs: dict[tuple[str, str], InputFile] = {}

    def add(kind: str, path: Path) -> None:
        shown = display_path(path)
        if (kind, shown) not in inputs:
            inputs[(kind, shown)] = InputFile(kind, shown, file_sha256(path))

    for campaign in campaigns:
        add("campaign", campaign.path)
        for spec in campaign.messages:
            if spec.template and _inside(campaign.root / spec.template, repository):
                add("template", campaign.root / spec.template)
    for source in profile_sources:
        add("profiles", source)
    return Audit(
        started=started,
        seconds=seconds,
        version=__version__,
        policy_files=tuple(policy.files),
        policy_sha256=policy_sha256(policy),
        inputs=tuple(inputs.values()),
        git_commit=git_commit(repository),
    )


def policy_sha256(policy: Policy) -> str:
    from creepcheck.policy.show import policy_summary

    text = json.dumps(policy_summary(policy), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def git_commit(folder: Path) -> str | None:
    """The commit checked out in `folder`'s repository, or None."""
    try:
        run = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = run.stdout.strip()
    if run.returncode != 0 or len(commit) not in (40, 64):
        return None
    return commit if all(c in "0123456789abcdef" for c in commit) else None


def _inside(path: Path, root: Path) -> bool:
    """Only templates inside the repository are read, as the renderer reads them."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False
