"""One campaign × one profile: addressed (delivery rules), rendered (message rules) and
judged as a record (profile rules).

Templates are compiled and statically checked once per campaign (`prepare`). A
profile's findings are masked, de-duplicated and fingerprinted while it is at hand.
The checker is the same object in the main process, in `--jobs` workers and on Spark
executors; it works on `Chunk`s of an audience and returns one `Outcome` per record.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from creepcheck import tuning
from creepcheck.errors import TemplateFailure
from creepcheck.findings.settle import group_key, masked_texts, settle_profile, stamp
from creepcheck.loaders.config import ProjectConfig
from creepcheck.loaders.contacts import choose_destination
from creepcheck.loaders.profile_values import NO_ZONE, ValueProblem, value_problems
from creepcheck.loaders.profiles import RecordProblem, json_line_profile
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, Finding, MessageRecord, MessageSpec, Profile
from creepcheck.privacy.outbound import outbound
from creepcheck.render import CompiledMessage, RenderedMessage, Renderer
from creepcheck.render.templatescan import FieldRef, context_reads
from creepcheck.rules.base import (
    DeliverySubject,
    MessageSubject,
    ProfileSubject,
    Rule,
    RunContext,
    TemplateSubject,
)
from creepcheck.rules.missing_contact_point import MissingContactPoint
from creepcheck.rules.missing_data import (
    KnownFields,
    MissingData,
    absent_field_findings,
    dict_parents,
    observed_fields,
)
from creepcheck.rules.quiet_hours import QuietHours
from creepcheck.rules.specificity_budget import specificity
from creepcheck.rules.template_error import TemplateError
from creepcheck.run.memo import FindingMemo
from creepcheck.run.options import CheckOptions, RuleSet

MAX_EXAMPLES = 2_000  # rendered messages kept per process, one per group of findings
Example = dict[tuple[str, str, str], str]  # (campaign, channel, profile id) -> masked text


@dataclass(frozen=True)
class Chunk:
    """A run of one campaign's audience, in input order: JSON Lines text that is parsed
    where it is checked (`lines`, as (line number, text)), or records read already."""

    campaign_id: str
    file: str
    lines: tuple[tuple[int, str], ...] = ()
    records: tuple[Profile | RecordProblem, ...] = ()

    def line_span(self) -> tuple[int | None, int | None]:
        if self.lines:
            return self.lines[0][0], self.lines[-1][0]
        if self.records:
            return self.records[0].line, self.records[-1].line
        return None, None


@dataclass
class Outcome:
    """What checking one record produced: a rejected record's problem, or the checked
    profile's id, value problems, findings and messages."""

    line: int | None
    problem: RecordProblem | None = None
    profile: str = ""
    file: str = ""  # where the profile was read
    value_problems: list[ValueProblem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    messages: list[MessageRecord] = field(default_factory=list)
    rendered: int = 0
    fields: tuple[str, ...] = ()  # observed in the profile (see `observed_fields`)
    examples: Example = field(default_factory=dict)


@dataclass
class Audience:
    """The fields seen across a campaign's checked profiles, merged from outcomes made
    in this process, on workers or on executors."""

    fields: set[str] = field(default_factory=set)
    checked: int = 0

    def add(self, fields: Iterable[str], checked: int) -> None:
        self.fields.update(fields)
        self.checked += checked


@dataclass
class Prepared:
    renderer: Renderer
    compiled: dict[int, CompiledMessage]
    template_findings: list[Finding]
    # What each template reads from its context, when missing-data is enabled, and the
    # nested fields to survey in the audience for it.
    reads: list[tuple[TemplateSubject, list[FieldRef]]] = field(default_factory=list)
    parents: frozenset[str] = frozenset()

    def observe(self, profile: Profile) -> list[str]:
        return observed_fields(profile.data, self.parents) if self.reads else []


class CampaignChecker:
    def __init__(
        self, rules: RuleSet, run: RunContext, options: CheckOptions, config: ProjectConfig
    ) -> None:
        self.rules, self.run, self.options, self.config = rules, run, options, config
        self.renderers: dict[Path, Renderer] = {}
        self.prepared: dict[str, Prepared] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.memo = FindingMemo() if tuning.OPTIMISE else None
        # One rendered message per group of identical findings (findings.settle.group_key),
        # kept in this process and handed on with the outcome that found it.
        self.example_keys: set[tuple[object, ...]] = set()

    def renderer(self, campaign: Campaign) -> Renderer:
        root = self.config.repository_root(campaign.root)
        if root not in self.renderers:
            self.renderers[root] = Renderer(root, display_root=Path.cwd())
        return self.renderers[root]

    def prepare(self, campaign: Campaign) -> Prepared:
        """Compile and statically check the campaign's templates, once."""
        if campaign.id not in self.prepared:
            renderer = self.renderer(campaign)
            findings: list[Finding] = []
            compiled = self._compile(campaign, renderer, findings)
            prepared = Prepared(renderer, compiled, findings)
            if MissingData.name in self.rules.by_name:
                prepared.reads = [
                    (subject, context_reads(subject.ast))
                    for message in compiled.values()
                    for subject in self._template_subjects(campaign, message)
                ]
                prepared.parents = dict_parents(r for _, reads in prepared.reads for r in reads)
            self.prepared[campaign.id] = prepared
            self.campaigns[campaign.id] = campaign
        return self.prepared[campaign.id]

    def absent_fields(self, campaign: Campaign, audience: Audience) -> list[Finding]:
        """At the end of a campaign's profiles: fields its templates read that none has."""
        rule = self.rules.by_name.get(MissingData.name)
        if rule is None or not audience.checked:
            return []
        known = KnownFields(audience.fields)
        return [
            finding
            for subject, reads in self.prepared[campaign.id].reads
            for finding in absent_field_findings(rule, subject, reads, known, audience.checked)
        ]

    def value_problems(self, campaign: Campaign, profile: Profile) -> list[ValueProblem]:
        """The profile's value problems, naming a skipped rule only when it is enabled."""
        problems = [
            problem
            if problem.skipped is None or problem.skipped in self.rules.by_name
            else ValueProblem(problem.message)
            for problem in value_problems(profile)
        ]
        if self._needs_zone(campaign, profile):
            problems.append(ValueProblem("no timezone", QuietHours.name, NO_ZONE))
        return problems

    def check_chunk(self, chunk: Chunk) -> list[Outcome]:
        """Each record of the chunk checked against its campaign; records of profiles
        other than `options.profile_ids` (when given) are passed over, bad ones too."""
        wanted = self.options.profile_ids
        records: Iterable[Profile | RecordProblem] = chunk.records or (
            json_line_profile(text, chunk.file, line) for line, text in chunk.lines
        )
        outcomes = []
        with self.run.text.transient() if self.run.text else nullcontext():
            for item in records:
                if wanted is not None and (
                    isinstance(item, RecordProblem) or item.id not in wanted
                ):
                    continue
                if isinstance(item, RecordProblem):
                    outcomes.append(Outcome(item.line, problem=item))
                else:
                    outcomes.append(self.check_profile(chunk.campaign_id, item))
        return outcomes

    def check_profile(
        self, campaign_id: str, profile: Profile, *, every_message: bool = False
    ) -> Outcome:
        """The profile checked against the campaign. Its message records are kept when
        the run collects them, or with `every_message` (for their specificity)."""
        campaign = self.campaigns[campaign_id]
        prepared = self.prepared[campaign_id]
        findings, messages, examples = self._check_profile(campaign, profile, prepared)
        return Outcome(
            profile.line,
            profile=profile.id,
            file=profile.file,
            value_problems=self.value_problems(campaign, profile),
            findings=findings,
            messages=messages if self.options.collect_messages or every_message else [],
            rendered=len(messages),
            fields=_shared(tuple(sys.intern(f) for f in prepared.observe(profile))),
            examples=examples,
        )

    def _needs_zone(self, campaign: Campaign, profile: Profile) -> bool:
        """Whether quiet hours would judge a message to this profile, but for its
        missing time zone (SPEC 1.3 has no default zone to fall back on)."""
        rule = self.rules.by_name.get(QuietHours.name)
        if rule is None or profile.data.get("timezone") not in (None, ""):
            return False
        channels = rule.config["channels"]
        for spec in campaign.messages:
            if spec.channel in channels:
                destination = choose_destination(profile, spec.channel)
                if destination is not None and destination.deliverable:
                    return True
        return False

    def _compile(
        self, campaign: Campaign, renderer: Renderer, findings: list[Finding]
    ) -> dict[int, CompiledMessage]:
        compiled: dict[int, CompiledMessage] = {}
        error_rule = self.rules.by_name.get(TemplateError.name)
        for spec in campaign.messages:
            try:
                message = renderer.compile_message(campaign, spec)
            except TemplateFailure as exc:
                if error_rule is not None:
                    findings.append(_template_error(error_rule, campaign, spec, exc))
                continue
            compiled[spec.index] = message
            for subject in self._template_subjects(campaign, message):
                findings.extend(_run_rules(self.rules.scope("template"), subject))
        return compiled

    def _template_subjects(
        self, campaign: Campaign, message: CompiledMessage
    ) -> Iterator[TemplateSubject]:
        for part in message.parts:
            yield TemplateSubject(
                campaign, message.spec, self.run, part.file, part.source, part.ast,
                part.line_offset,
            )

    def _check_profile(
        self, campaign: Campaign, profile: Profile, prepared: Prepared
    ) -> tuple[list[Finding], list[MessageRecord], Example]:
        findings: list[Finding] = []
        messages: list[MessageRecord] = []
        texts: dict[str, RenderedMessage] = {}  # by channel, for examples
        reached: list[str] = []
        compiled = prepared.compiled
        for spec in campaign.messages:
            destination = choose_destination(profile, spec.channel)
            if destination is None:
                findings.extend(self._missing_contact(campaign, spec, profile))
                continue
            subject = DeliverySubject(
                campaign,
                spec,
                profile,
                self.run,
                destination.point,
                destination.listed_under,
                destination.deliverable,
            )
            findings.extend(_run_rules(self.rules.scope("delivery"), subject))
            if not destination.deliverable or spec.index not in compiled:
                continue
            reached.append(spec.channel)
            findings.extend(
                self._render_and_check(
                    subject, compiled[spec.index], prepared.renderer, messages, texts
                )
            )
        profile_subject = ProfileSubject(campaign, profile, self.run, tuple(reached))
        findings.extend(_run_rules(self.rules.scope("profile"), profile_subject))
        if self.options.show_pii:  # fingerprints key on the masked text either way
            kept = [_compact(f) for f in stamp(findings, profile)]
        else:
            kept = [_compact(f, profile) for f in findings]
        settled = settle_profile(kept, campaign)
        examples = self._examples(settled, texts, profile) if texts and settled else {}
        return settled, messages, examples

    def _examples(
        self, findings: list[Finding], texts: dict[str, RenderedMessage], profile: Profile
    ) -> Example:
        examples: Example = {}
        for finding in findings:
            if finding.profile is None or finding.channel not in texts:
                continue
            key = group_key(finding)
            if key in self.example_keys or len(self.example_keys) >= MAX_EXAMPLES:
                continue
            self.example_keys.add(key)
            text = texts[finding.channel].text
            shown = outbound(
                text,
                profile=profile,
                show_pii=self.options.show_pii,
                from_input=True,
                keep_layout=True,
            )
            examples[(finding.campaign or "", finding.channel, profile.id)] = shown
        return examples

    def _render_and_check(
        self,
        subject: DeliverySubject,
        compiled: CompiledMessage,
        renderer: Renderer,
        messages: list[MessageRecord],
        texts: dict[str, RenderedMessage],
    ) -> list[Finding]:
        try:
            rendered = renderer.render(compiled, subject.profile, subject.campaign)
        except TemplateFailure as exc:
            rule = self.rules.by_name.get(TemplateError.name)
            if rule is None:
                return []
            return [
                replace(
                    _template_error(rule, subject.campaign, subject.spec, exc),
                    profile=subject.profile.id,
                )
            ]
        message = MessageSubject(
            subject.campaign,
            subject.spec,
            subject.profile,
            subject.run,
            subject.destination,
            subject.destination_channel,
            subject.deliverable,
            rendered=rendered,
        )
        texts.setdefault(subject.spec.channel, rendered)
        rules = self.rules.scope("message")
        findings = self.memo.run(rules, message) if self.memo else _run_rules(rules, message)
        messages.append(
            MessageRecord(
                subject.campaign.id, subject.spec.channel, subject.profile.id, specificity(message)
            )
        )
        return findings

    def _missing_contact(
        self, campaign: Campaign, spec: MessageSpec, profile: Profile
    ) -> list[Finding]:
        rule = self.rules.by_name.get(MissingContactPoint.name)
        if rule is None:
            return []
        subject = DeliverySubject(campaign, spec, profile, self.run)
        return [
            rule.finding(
                subject,
                f"No contact point for {spec.channel}; the message is not rendered for "
                "this profile",
                fix=f"Add a valid contact_points.{spec.channel} entry to the sample "
                "profile, or drop it from this channel's audience.",
            )
        ]


def _run_rules(rules: Iterable[Rule], subject: object) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(subject))
    return findings


def _template_error(
    rule: Rule, campaign: Campaign, spec: MessageSpec, exc: TemplateFailure
) -> Finding:
    subject = TemplateSubject(campaign, spec, None, exc.file or "", "", None)  # type: ignore[arg-type]
    return rule.finding(
        subject,
        str(exc),
        file=exc.file or display_path(campaign.path),
        line=exc.line,
        fix="Fix the template so it parses and renders for every profile "
        "(guard optional fields with `default` or `if`).",
    )


def _compact(finding: Finding, masked_for: Profile | None = None) -> Finding:
    """The finding as kept: masked for `masked_for` when given (else only through the
    outbound boundary's other steps, for --show-pii), its repeated text and
    tuples shared across a full audience's findings (the same evidence, fields and spans
    recur for thousands of profiles). One copy, made once per finding."""
    evidence, message, fix = masked_texts(finding, masked_for)
    return replace(
        finding,
        message=sys.intern(message),
        evidence=sys.intern(evidence),
        fix=sys.intern(fix),
        file=sys.intern(finding.file) if finding.file else finding.file,
        fields=_shared(finding.fields),
        spans=_shared(finding.spans),
    )


_SHARED: dict[tuple[object, ...], tuple[object, ...]] = {}


def _shared(value: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(_SHARED) > 100_000:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)
