"""creepcheck: lint marketing campaigns for creepy personalisation before they are sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creepcheck.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from creepcheck.findings.result import RunResult

__all__ = ["Finding", "RunResult", "Severity", "__version__", "check"]


def check(
    paths: list[str | Path] | str | Path,
    *,
    policy: str | None = None,
    profiles: str | Path | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    show_pii: bool = False,
) -> RunResult:
    """Lint campaigns and return the same findings `creepcheck check` reports."""
    from pathlib import Path

    from creepcheck.run import CheckOptions
    from creepcheck.run import check as run

    if isinstance(paths, str | Path):
        paths = [paths]
    return run(
        CheckOptions(
            paths=tuple(Path(p) for p in paths) or (Path("."),),
            policy=policy,
            profiles=Path(profiles) if profiles else None,
            select=tuple(select or ()),
            ignore=tuple(ignore or ()),
            show_pii=show_pii,
        )
    )


def __getattr__(name: str) -> object:
    if name in {"Finding", "Severity"}:
        from creepcheck import models

        return getattr(models, name)
    if name == "RunResult":
        from creepcheck.findings.result import RunResult

        return RunResult
    raise AttributeError(name)
