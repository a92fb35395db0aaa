"""`creepcheck preview`: one campaign's messages as one profile would receive them.

The campaign is checked for that profile alone through the engine, each message is
rendered again, and the text is printed with the offending stretches highlighted (the
findings' spans, else their evidence found in the text) and numbered, the findings
with their fixes under it. Personal data is masked unless `--show-pii` is given.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.text import Text

from creepcheck.errors import Problem, TemplateFailure, UserError
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.config import ProjectConfig, load_project_config
from creepcheck.loaders.contacts import choose_destination
from creepcheck.loaders.profiles import RecordProblem, iter_profiles, source_name
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, Finding, MessageSpec, Profile, ProfileSource, Severity
from creepcheck.privacy.masking import EMAIL, PHONE_CANDIDATE, is_phone, personal_values
from creepcheck.privacy.outbound import NEWLINE, outbound, visible
from creepcheck.render import RenderedMessage, Renderer
from creepcheck.run import CheckOptions, check

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
HIGHLIGHT = {
    Severity.ERROR: "bold white on red",
    Severity.WARNING: "black on yellow",
    Severity.INFO: "black on cyan",
}
LISTED_IDS = 10  # profile ids named in an "unknown profile" message


@dataclass(frozen=True)
class PreviewOptions:
    campaign: Path
    profile: str
    channel: str | None = None
    show_pii: bool = False
    policy: str | None = None
    profiles: ProfileSource | None = None
    color: bool = False


@dataclass
class _Numbered:
    """Findings numbered in the order they are printed."""

    numbers: dict[int, int] = field(default_factory=dict)  # id(finding) -> number

    def number(self, finding: Finding) -> int:
        return self.numbers.setdefault(id(finding), len(self.numbers) + 1)


def run_preview(options: PreviewOptions) -> str:
    """The preview as text; UserError for an unknown campaign, profile or channel."""
    config = load_project_config(options.campaign)
    campaign = _campaign(options.campaign, config)
    specs = _specs(campaign, options.channel)
    profiles_path = options.profiles or campaign.profiles
    if profiles_path is None:
        raise UserError(
            Problem(
                display_path(campaign.path),
                "no profiles to preview with: name "
                "a `profiles:` file here, in creepcheck.yaml, or pass --profiles",
                campaign.line,
            )
        )
    profile = _profile(profiles_path, options.profile, config)
    # Checked unmasked so evidence can be found in the text; masked below for printing.
    result = check(
        CheckOptions(
            paths=(campaign.path,),
            policy=options.policy,
            profiles=options.profiles,
            show_pii=True,
            profile_ids=frozenset({profile.id}),
        )
    )
    return _Printer(options, config, campaign, profile).print(specs, result.findings)


def _campaign(path: Path, config: ProjectConfig) -> Campaign:
    files = discover_campaigns([path], config.exclude, repository=config.repository_root)
    shown = display_path(path)
    if not files:
        raise UserError(
            Problem(
                shown,
                "no campaign here (looked for campaign.yaml, campaign.yml and *.campaign.yaml)",
            )
        )
    if len(files) > 1:
        names = ", ".join(display_path(f) for f in files[:LISTED_IDS])
        more = f" and {len(files) - LISTED_IDS} more" if len(files) > LISTED_IDS else ""
        raise UserError(
            Problem(shown, f"holds {len(files)} campaigns; preview one of them: {names}{more}")
        )
    return load_campaign(
        files[0],
        default_language=config.language,
        default_profiles=config.profiles,
        root=config.repository_root(files[0].parent),
    )


def _specs(campaign: Campaign, channel: str | None) -> list[MessageSpec]:
    if channel is None:
        return list(campaign.messages)
    specs = [s for s in campaign.messages if s.channel == channel]
    if not specs:
        channels = ", ".join(dict.fromkeys(s.channel for s in campaign.messages))
        raise UserError(
            Problem(
                display_path(campaign.path),
                f'campaign "{campaign.id}" has no {channel} message; its channels: {channels}',
            )
        )
    return specs


def _profile(path: ProfileSource, profile_id: str, config: ProjectConfig) -> Profile:
    """Stream the file until the profile turns up; else name some of the ids it has."""
    listed: list[str] = []
    count = 0
    best: tuple[float, str] = (0.0, "")
    for item in iter_profiles(path, config.mapping):
        if isinstance(item, RecordProblem):
            continue
        if item.id == profile_id:
            return item
        count += 1
        if len(listed) < LISTED_IDS:
            listed.append(item.id)
        matcher = difflib.SequenceMatcher(None, profile_id, item.id)
        if matcher.real_quick_ratio() > best[0] and matcher.ratio() > max(best[0], 0.6):
            best = (matcher.ratio(), item.id)
    hint = f' (did you mean "{best[1]}"?)' if best[1] else ""
    if not count:
        raise UserError(
            Problem(source_name(path), f'unknown profile "{profile_id}": the file has no profiles')
        )
    more = f", … ({count} in all)" if count > len(listed) else ""
    raise UserError(
        Problem(
            source_name(path),
            f'unknown profile "{profile_id}"{hint}; profiles there: {", ".join(listed)}{more}',
        )
    )


class _Printer:
    def __init__(
        self, options: PreviewOptions, config: ProjectConfig, campaign: Campaign, profile: Profile
    ) -> None:
        self.options, self.campaign, self.profile = options, campaign, profile
        root = config.repository_root(campaign.root)
        self.renderer = Renderer(root, display_root=Path.cwd())
        self.buffer = io.StringIO()
        self.console = Console(
            file=self.buffer,
            force_terminal=options.color,
            no_color=not options.color,
            highlight=False,
            soft_wrap=True,
            width=100,
            emoji=False,
            markup=False,
        )
        self.numbers = _Numbered()

    def print(self, specs: list[MessageSpec], findings: list[Finding]) -> str:
        title = visible(f"{self.campaign.id} · {self.profile.id}")
        self.console.print(Text(title, style="bold underline"))
        about_profile = [f for f in findings if f.channel is None]
        if about_profile:
            self.console.print()
            self.console.print(Text("Profile", style="bold"))
            self._findings(about_profile)
        owners = _assign(specs, [f for f in findings if f.channel is not None], self.campaign)
        for spec in specs:
            self.console.print()
            self._message(spec, owners.get(spec.index, []))
        return self.buffer.getvalue()

    def _message(self, spec: MessageSpec, findings: list[Finding]) -> None:
        findings = sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.code))
        source = spec.template or "inline"
        self.console.print(Text(visible(f"{spec.channel} ({source})"), style="bold"))
        rendered, note = self._render(spec)
        if rendered is None:
            self.console.print(Text(f"  {self._own(note)}", style="dim"))
        else:
            for line in self._highlighted(rendered, findings).split("\n"):
                line.rstrip()
                self.console.print(Text("  ") + line if line.plain else Text())
        self.console.print()
        if findings:
            self._findings(findings)
        else:
            self.console.print(Text("  no findings", style="green"))

    def _render(self, spec: MessageSpec) -> tuple[RenderedMessage | None, str]:
        destination = choose_destination(self.profile, spec.channel)
        if destination is None:
            return None, f"not rendered: the profile has no contact point for {spec.channel}"
        if not destination.deliverable:
            return None, f"not rendered: no valid contact point for {spec.channel}"
        try:
            compiled = self.renderer.compile_message(self.campaign, spec)
            return self.renderer.render(compiled, self.profile, self.campaign), ""
        except TemplateFailure as exc:
            where = f"{exc.file}:{exc.line}" if exc.line else exc.file or ""
            return None, f"not rendered: {where}: {exc}"

    def _highlighted(self, rendered: RenderedMessage, findings: list[Finding]) -> Text:
        text = rendered.text
        regions = _regions(text, findings, _pii_ranges(text, self.profile))
        out = Text()
        position = 0
        if rendered.subject_end:
            out.append("Subject: ", style="dim")
        for start, end, owners in regions:
            out.append(self._copy(text[position:start]))
            severity = max(f.severity for f in owners)
            shown = self._copy(text[start:end])
            if self.options.color:
                out.append(shown, style=HIGHLIGHT[severity])
            else:
                out.append(f"[[{shown}]]")
            refs = ",".join(str(self.numbers.number(f)) for f in owners)
            out.append(f"[{refs}]", style=STYLES[severity])
            position = end
        out.append(self._copy(text[position:]))
        return out

    def _findings(self, findings: list[Finding]) -> None:
        for finding in sorted(findings, key=lambda f: self.numbers.number(f)):
            number = self.numbers.number(finding)
            head = Text(f"  [{number}] {visible(finding.file or '?')}:{finding.line or 0}: ")
            head.append(f"{finding.code} [{finding.severity}] ", style=STYLES[finding.severity])
            head.append(f"{self._own(finding.message)} ")
            head.append(f"({finding.rule})", style="dim")
            if finding.waiver is not None:
                head.append(f"  waived: {visible(finding.waiver.reason)}", style="green")
            elif finding.suppressed is not None:
                head.append(f"  suppressed: {visible(finding.suppressed)}", style="green")
            self.console.print(head)
            if finding.evidence:
                evidence = self._shown(" ".join(finding.evidence.split()), from_input=True)
                self.console.print(Text(f"      evidence: {evidence}"))
            if finding.fix:
                self.console.print(Text(f"      fix: {self._own(finding.fix)}", style="green"))

    def _copy(self, text: str) -> str:
        """Rendered copy, its line breaks kept: each printed line is indented."""
        return self._shown(text, from_input=True, keep_layout=True)

    def _own(self, text: str) -> str:
        """creepcheck's message, with the input values it quotes."""
        return self._shown(text)

    def _shown(self, text: str, *, from_input: bool = False, keep_layout: bool = False) -> str:
        return outbound(
            text,
            profile=self.profile,
            show_pii=self.options.show_pii,
            from_input=from_input,
            keep_layout=keep_layout,
        )


def _assign(
    specs: list[MessageSpec], findings: list[Finding], campaign: Campaign
) -> dict[int, list[Finding]]:
    """Which message each finding is about: by channel, then by file and entry line."""
    owners: dict[int, list[Finding]] = {}
    campaign_file = display_path(campaign.path)
    for finding in findings:
        same_channel = [s for s in specs if s.channel == finding.channel]
        if not same_channel:
            continue
        chosen = next(
            (s for s in same_channel if _belongs(finding, s, campaign_file)), same_channel[0]
        )
        owners.setdefault(chosen.index, []).append(finding)
    return owners


def _belongs(finding: Finding, spec: MessageSpec, campaign_file: str) -> bool:
    if spec.template and finding.file and Path(finding.file).name == Path(spec.template).name:
        return True
    return finding.file == campaign_file and finding.line == spec.line


def _regions(
    text: str, findings: list[Finding], pii: list[tuple[int, int]]
) -> list[tuple[int, int, list[Finding]]]:
    """Merged stretches of text to highlight, each with the findings that point at it."""
    marks: list[tuple[int, int, Finding]] = []
    for finding in findings:
        for start, end in _spans(text, finding):
            start, end = _snap(start, end, pii)
            if start < end:
                marks.append((start, end, finding))
    marks.sort(key=lambda m: (m[0], m[1]))
    regions: list[tuple[int, int, list[Finding]]] = []
    for start, end, finding in marks:
        if regions and start < regions[-1][1]:
            last_start, last_end, owners = regions[-1]
            if finding not in owners:
                owners.append(finding)
            regions[-1] = (last_start, max(last_end, end), owners)
        else:
            regions.append((start, end, [finding]))
    return regions


def _spans(text: str, finding: Finding) -> Iterator[tuple[int, int]]:
    if finding.spans:
        for start, end in finding.spans:
            yield max(0, min(start, len(text))), max(0, min(end, len(text)))
        return
    evidence = finding.evidence.replace(NEWLINE, " ").strip().rstrip("…").rstrip(".").strip()
    words = evidence.split()
    if not words or len(evidence) < 3:
        return
    match = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    if match:
        yield match.span()


def _snap(start: int, end: int, pii: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a stretch so that it never cuts a personal value in two (it is masked whole)."""
    for low, high in pii:
        if low < start < high:
            start = low
        if low < end < high:
            end = high
    return start, end


def _pii_ranges(text: str, profile: Profile) -> list[tuple[int, int]]:
    ranges = [
        m.span()
        for value, _ in personal_values(profile)
        for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE)
    ]
    ranges += [m.span() for m in EMAIL.finditer(text)]
    ranges += [m.span() for m in PHONE_CANDIDATE.finditer(text) if is_phone(m.group())]
    return ranges
