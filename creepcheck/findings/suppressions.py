"""Inline suppressions written in a template (SPEC 3).

    {# creepcheck: disable=purchase-recall reason="reorder reminder the customer asked for" #}
    {# creepcheck: disable=CC301,pii-leak reason="..." #}

A comment alone on its line disables the rules from that line to the end of the
template, and also covers the findings about the message as a whole that point at the
campaign file's message entry (a missing opt-out, a channel rule). A comment on a line
with other content disables that line only. A suppression must say why: one without a
reason suppresses nothing and is reported itself, as a warning of the rule it names.

Comments are found by scanning the template source (`{% raw %}` blocks excluded), once
per distinct source. A malformed `creepcheck:` comment or an unknown rule is a
`UserError` naming the template and line, so a typo never silently suppresses nothing.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from creepcheck.confine import project_root, template_problem
from creepcheck.errors import Problem, UserError
from creepcheck.models import Campaign, Finding, Severity

# Comments and raw blocks are found by searching for the start and then for the nearest
# end: a lazy `start.*?end` pattern would scan to the end of the source again from every
# start left unterminated.
COMMENT_START, COMMENT_END = "{#", "#}"
RAW_START = re.compile(r"\{%-?\s*raw\s*-?%\}")
RAW_END = re.compile(r"\{%-?\s*endraw\s*-?%\}")
NOT_NEWLINE = re.compile(r"[^\n]")
DIRECTIVE = re.compile(r"creepcheck\s*:", re.IGNORECASE)
DISABLE = re.compile(
    r"creepcheck\s*:\s*disable\s*=\s*(?P<rules>[\w-]+(?:\s*,\s*[\w-]+)*)"
    # A bare reason is the rest but trailing space, matched greedily: a lazy `.*?` before
    # `\s*` would read the rest again at every character.
    r"(?:\s+reason\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>(?:.*\S)?)))?\s*",
    re.IGNORECASE | re.DOTALL,
)
EXAMPLE = '{# creepcheck: disable=RULE reason="why this is acceptable" #}'
MAX_TEMPLATE_BYTES = 5_000_000


@dataclass(frozen=True)
class Comment:
    """A `creepcheck: disable` comment as written, lines counted from 1 in its source."""

    rules: tuple[str, ...]  # slugs
    reason: str | None
    start_line: int
    end_line: int
    alone: bool  # nothing but whitespace around it on its lines
    text: str


@dataclass(frozen=True)
class Suppression:
    """A comment placed in a file: the lines of that file it covers."""

    comment: Comment
    file: Path  # resolved path of the template, or of the campaign file for inline ones
    display: str
    line: int  # where the comment starts in `file`
    first_line: int  # lines of `file` it covers
    last_line: int | None  # None: to the end of the file
    campaign: str | None = None  # inline templates cover only their own message's ...
    channel: str | None = None  # ... findings

    def covers(self, finding: Finding) -> bool:
        if finding.rule not in self.comment.rules or finding.line is None:
            return False
        if self.campaign is not None and (finding.campaign, finding.channel) != (
            self.campaign,
            self.channel,
        ):
            return False
        last = self.last_line if self.last_line is not None else finding.line
        return self.first_line <= finding.line <= last


# --- scanning ----------------------------------------------------------------------------


def scan(source: str, display: str, line_offset: int = 0) -> tuple[Comment, ...]:
    """The suppression comments of a template; UserError for malformed ones."""
    comments, problems = _scan(source)
    if problems:
        raise UserError(
            [Problem(display, message, line + line_offset) for line, message in problems]
        )
    return comments


@dataclass(frozen=True)
class _CommentSpan:
    start: int
    end: int
    body: str


def _comments(text: str) -> Iterator[_CommentSpan]:
    """`{# ... #}` comments, as Jinja reads them: each ends at the first `#}`."""
    position = 0
    while (start := text.find(COMMENT_START, position)) != -1:
        end = text.find(COMMENT_END, start + len(COMMENT_START))
        if end == -1:
            return
        position = end + len(COMMENT_END)
        yield _CommentSpan(start, position, text[start + len(COMMENT_START) : end])


def _blank_raw_blocks(source: str) -> str:
    """`source` with each `{% raw %}...{% endraw %}` block blanked, line breaks kept."""
    pieces: list[str] = []
    position = 0
    while (start := RAW_START.search(source, position)) is not None:
        end = RAW_END.search(source, start.end())
        if end is None:
            break
        block = source[start.start() : end.end()]
        pieces += [source[position : start.start()], NOT_NEWLINE.sub(" ", block)]
        position = end.end()
    pieces.append(source[position:])
    return "".join(pieces)


@functools.lru_cache(maxsize=512)
def _scan(source: str) -> tuple[tuple[Comment, ...], tuple[tuple[int, str], ...]]:
    if "creepcheck" not in source.lower():
        return (), ()
    text = _blank_raw_blocks(source)
    comments: list[Comment] = []
    problems: list[tuple[int, str]] = []
    line, counted_to = 1, 0  # lines are counted on from the last comment, not from the top
    for match in _comments(text):
        body = match.body.strip("-+ \t\r\n")
        if not DIRECTIVE.match(body):
            continue
        whole = text[match.start : match.end]
        line += text.count("\n", counted_to, match.start)
        counted_to = match.start
        start_line = line
        parsed = _parse(body)
        if isinstance(parsed, str):
            problems.append((start_line, parsed))
            continue
        rules, reason = parsed
        line_start = text.rfind("\n", 0, match.start) + 1
        line_end = text.find("\n", match.end)
        before = text[line_start : match.start]
        after = text[match.end : line_end if line_end != -1 else len(text)]
        comments.append(
            Comment(
                rules=rules,
                reason=reason,
                start_line=start_line,
                end_line=start_line + whole.count("\n"),
                alone=not before.strip() and not after.strip(),
                text=" ".join(whole.split()),
            )
        )
    return tuple(comments), tuple(problems)


def _parse(body: str) -> tuple[tuple[str, ...], str | None] | str:
    from creepcheck.rules.registry import by_id, suggest

    match = DISABLE.fullmatch(body)
    if match is None:
        return f"malformed creepcheck comment; expected {EXAMPLE}"
    rules: list[str] = []
    for rule_id in (part.strip() for part in match.group("rules").split(",")):
        rule = by_id(rule_id)
        if rule is None:
            hint = suggest(rule_id)
            tip = f' (did you mean "{hint}"?)' if hint else ""
            return f'unknown rule "{rule_id}" in creepcheck comment{tip}; see `creepcheck rules`'
        if rule.name not in rules:
            rules.append(rule.name)
    reason = next((g for g in match.group("dq", "sq", "bare") if g is not None), "")
    return tuple(rules), " ".join(reason.split()) or None


# --- placing comments in the files of a run ----------------------------------------------


class SuppressionIndex:
    """Every suppression that can apply to a run's findings, each file read once."""

    def __init__(
        self, campaigns: Iterable[Campaign], repository: Callable[[Path], Path] | None = None
    ) -> None:
        self.campaigns = list(campaigns)
        self.repository = repository or (lambda folder: project_root(None, folder))
        self.by_file: dict[Path, list[Suppression]] = {}
        self.campaign_files = {c.path.resolve() for c in self.campaigns}
        # (campaign, template file) -> channel of the first message using it
        self.uses: dict[tuple[str, Path], str] = {}
        # (campaign, channel, message entry line) -> template files of that message
        self.entry_templates: dict[tuple[str, str, int], list[Path]] = {}
        self.problems: list[Problem] = []
        for campaign in self.campaigns:
            self._index(campaign)

    def _index(self, campaign: Campaign) -> None:
        entry_lines = sorted(spec.line for spec in campaign.messages if spec.line)
        for spec in campaign.messages:
            if spec.template is not None:
                path = (campaign.root / spec.template).resolve()
                self.uses.setdefault((campaign.id, path), spec.channel)
                if spec.line:
                    key = (campaign.id, spec.channel, spec.line)
                    self.entry_templates.setdefault(key, []).append(path)
                if template_problem(spec.template, path, self.repository(campaign.root)) is None:
                    self._scan_file(path)
            following = [line for line in entry_lines if spec.line and line > spec.line]
            last_entry_line = following[0] - 1 if following else None
            for inline in (spec.subject, None if spec.template else spec.body):
                if inline is not None:
                    self._scan_inline(
                        campaign, spec.channel, spec.line or 1, inline, last_entry_line
                    )

    def _scan_inline(
        self,
        campaign: Campaign,
        channel: str,
        entry_line: int,
        source: str,
        last_entry_line: int | None,
    ) -> None:
        # Inline template lines are counted from the message entry, as the renderer does.
        display = _display(campaign.path)
        offset = entry_line - 1
        for comment in self._comments(source, display, offset):
            first = comment.start_line + offset
            last: int | None = comment.end_line + offset
            if comment.alone:  # the rest of this message: up to the next entry
                first, last = entry_line, last_entry_line
            self._add(
                Suppression(
                    comment,
                    campaign.path.resolve(),
                    display,
                    comment.start_line + offset,
                    first,
                    last,
                    campaign.id,
                    channel,
                )
            )

    def _scan_file(self, path: Path) -> None:
        if path in self.by_file:
            return
        self.by_file[path] = []
        source = _read(path)
        if source is None:
            return
        display = _display(path)
        for comment in self._comments(source, display):
            last = None if comment.alone else comment.end_line
            line = comment.start_line
            self._add(Suppression(comment, path, display, line, line, last))

    def _comments(self, source: str, display: str, offset: int = 0) -> tuple[Comment, ...]:
        comments, problems = _scan(source)
        self.problems.extend(Problem(display, message, line + offset) for line, message in problems)
        return comments

    def _add(self, suppression: Suppression) -> None:
        self.by_file.setdefault(suppression.file, []).append(suppression)

    def covering(self, finding: Finding) -> Suppression | None:
        """The suppression that covers the finding (one with a reason first), if any."""
        file = _resolve(finding.file)
        if file is None:
            return None
        if file not in self.campaign_files:
            self._scan_file(file)  # also templates met only through their findings (includes)
        candidates = [s for s in self.by_file.get(file, []) if s.covers(finding)]
        # A finding about the message as a whole points at its entry in the campaign file;
        # a whole-template comment in the message's template covers it too.
        entry = (finding.campaign or "", finding.channel or "", finding.line or 0)
        for template in self.entry_templates.get(entry, []) if file in self.campaign_files else []:
            candidates.extend(
                s
                for s in self.by_file.get(template, [])
                if s.comment.alone and finding.rule in s.comment.rules
            )
        candidates.sort(key=lambda s: s.comment.reason is None)
        return candidates[0] if candidates else None

    def without_reason(self) -> Iterator[tuple[str, str, Suppression]]:
        """(campaign, channel, suppression) for each reason-less comment in a campaign."""
        for (campaign, path), channel in self.uses.items():
            for suppression in self.by_file.get(path, []):
                if suppression.comment.reason is None and suppression.campaign is None:
                    yield campaign, channel, suppression
        for path in self.campaign_files:
            for suppression in self.by_file.get(path, []):
                if suppression.comment.reason is None and suppression.campaign is not None:
                    yield suppression.campaign, suppression.channel or "", suppression


def apply_suppressions(
    findings: list[Finding],
    campaigns: Iterable[Campaign],
    enabled: Iterable[str] | None = None,
    repository: Callable[[Path], Path] | None = None,
) -> list[Finding]:
    """Mark suppressed findings, and add a warning for each suppression without a reason."""
    index = SuppressionIndex(campaigns, repository)
    wanted = set(enabled) if enabled is not None else None
    result: list[Finding] = []
    reasonless: dict[tuple[str, str, int, str], Finding] = {}
    for finding in findings:
        suppression = index.covering(finding)
        if suppression is None:
            result.append(finding)
        elif suppression.comment.reason is None:
            result.append(finding)
            for warning in _missing_reason(finding.campaign or "", finding.channel, suppression):
                reasonless.setdefault(_key(warning), warning)
        else:
            result.append(replace(finding, suppressed=suppression.comment.reason))
    for campaign, channel, suppression in index.without_reason():
        for warning in _missing_reason(campaign, channel, suppression):
            reasonless.setdefault(_key(warning), warning)
    if index.problems:
        raise UserError(index.problems)
    result.extend(w for w in reasonless.values() if wanted is None or w.rule in wanted)
    return result


def _missing_reason(
    campaign: str, channel: str | None, suppression: Suppression
) -> Iterator[Finding]:
    from creepcheck.rules.registry import by_id

    for slug in suppression.comment.rules:
        rule = by_id(slug)
        code = rule.code if rule is not None else ""
        yield Finding(
            rule=slug,
            code=code,
            severity=Severity.WARNING,
            message=f"inline suppression of {slug} has no reason",
            campaign=campaign,
            channel=channel,
            file=suppression.display,
            line=suppression.line,
            evidence=suppression.comment.text,
            fix=f'Say why it is acceptable: {{# creepcheck: disable={slug} reason="..." #}}, '
            "or remove the comment and fix the finding.",
        )


def _key(finding: Finding) -> tuple[str, str, int, str]:
    return (finding.campaign or "", finding.file or "", finding.line or 0, finding.rule)


# --- files -------------------------------------------------------------------------------


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_TEMPLATE_BYTES:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the renderer reports unreadable templates


@functools.lru_cache(maxsize=4096)
def _resolve_cached(file: str, cwd: str) -> Path:
    return Path(cwd, file).resolve()


def _resolve(file: str | None) -> Path | None:
    return _resolve_cached(file, os.getcwd()) if file else None


def _display(path: Path) -> str:
    """As the renderer names files: relative to the working folder when inside it."""
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    return resolved.relative_to(cwd).as_posix() if resolved.is_relative_to(cwd) else str(path)
