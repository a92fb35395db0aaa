"""creepcheck's exception family and exit codes.

Every problem with a user's files is a `UserError`: the CLI prints its message (one
line per problem, each naming file and line) and exits with EXIT_USAGE. Anything else
escaping the engine is a bug and is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from creepcheck.privacy.outbound import EXCERPT_CHARS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2



def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis: messages about a
    file quote no more of its content than this (it may hold a secret or personal data)."""
    flat = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    message: str
    line: int | None = None
    fatal: bool = True  # False: reported, but the record was still checked
    skipped: str | None = None  # the check this problem kept from running, for the summary

    def __str__(self) -> str:
        return self.shown()

    def shown(self, show_pii: bool = False) -> str:
        """`file:line: message` as it may be printed (see `outbound`)."""
        from creepcheck.privacy.outbound import outbound, visible

        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{visible(where)}: {outbound(self.message, show_pii=show_pii)}"

    def for_output(self, show_pii: bool = False) -> Problem:
        """The problem with its file and message as they may be printed."""
        from creepcheck.privacy.outbound import outbound, visible

        message = outbound(self.message, show_pii=show_pii)
        file = visible(self.file)
        if message == self.message and file == self.file:
            return self
        return replace(self, file=file, message=message)


class CreepcheckError(Exception):
    """Base of every error creepcheck raises on purpose."""


class UserError(CreepcheckError):
    """Bad usage, configuration, policy, campaign or profile file: exit 2."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p).removeprefix(": ") for p in problems))


class ConfigError(UserError):
    """The project config (creepcheck.yaml or [tool.creepcheck]) is wrong."""


class PolicyError(UserError):
    """A policy file is wrong."""


class CampaignError(UserError):
    """A campaign file is wrong."""


class ProfileError(UserError):
    """A profile file cannot be read at all."""


class TemplateFailure(CreepcheckError):
    """A template cannot be parsed or rendered; becomes a template-error finding."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        super().__init__(message)
