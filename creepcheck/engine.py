"""The check loop: campaigns x profiles x messages, through the rules.

Templates are compiled and statically checked once per campaign; each profile is then
addressed (delivery rules), rendered (message rules) and judged as a record (profile
rules). A profile's findings are masked, de-duplicated and fingerprinted while it is
at hand; then inline suppressions and waivers apply to the whole run's findings.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from creepcheck import collector, tuning
from creepcheck.audit import build_audit
from creepcheck.contacts import choose_destination
from creepcheck.errors import Problem, TemplateError, UserError
from creepcheck.findings import (
    finalize,
    group_key,
    masked_texts,
    settle_profile,
    stamp,
    waiver_entries,
)
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.config import ProjectConfig, load_project_config
from creepcheck.loaders.profile_schema import schema_messages
from creepcheck.loaders.profile_values import NO_ZONE, ValueProblem, value_problems
from creepcheck.loaders.profiles import (
    RecordProblem,
    SeenIds,
    is_json_lines,
    iter_json_lines,
    iter_profiles,
    json_line_profile,
    source_fields,
    source_name,
)
from creepcheck.loaders.yamlio import display_path
from creepcheck.memo import FindingMemo
from creepcheck.models import (
    Campaign,
    DatabaseQuery,
    Finding,
    MessageRecord,
    Profile,
    ProfileSource,
    RunResult,
)
from creepcheck.outbound import outbound
from creepcheck.policy import Policy, load_policy
from creepcheck.render import CompiledMessage, RenderedMessage, Renderer
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
from creepcheck.rules.registry import RULES, resolve
from creepcheck.rules.template_error import TemplateError as TemplateErrorRule
from creepcheck.sampling import reservoir
from creepcheck.templatescan import FieldRef, context_reads

if TYPE_CHECKING:
    from creepcheck.text import TextAnalyzer

Progress = Callable[[int], None]


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[Path, ...] = (Path("."),)
    policy: str | None = None
    profiles: ProfileSource | None = None  # --profiles (with --query: a DatabaseQuery)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    show_pii: bool = False
    sample: int | None = None  # N profiles drawn at random (sampling.py) with this seed
    seed: int = 0
    jobs: int = 1
    collect_messages: bool = True  # False: count messages but keep no per-message records
    progress: Progress | None = None
    # Told the number of profiles of each campaign before they are checked, when known.
    audience_size: Progress | None = None
    profile_ids: frozenset[str] | None = None  # only these profiles (preview); None: all


@dataclass
class RuleSet:
    """The enabled rules of a run, configured from the policy, grouped by scope."""

    by_scope: dict[str, list[Rule]] = field(default_factory=dict)
    by_name: dict[str, Rule] = field(default_factory=dict)

    def scope(self, name: str) -> list[Rule]:
        return self.by_scope.get(name, [])

    @classmethod
    def build(cls, policy: Policy, select: Sequence[str], ignore: Sequence[str]) -> RuleSet:
        chosen = _chosen_rules(select, ignore)
        rules = cls()
        for rule_cls in chosen:
            config = policy.rule(rule_cls.name)
            if config.severity is None and not select:
                continue
            rule = rule_cls(config.severity, **config.options)
            rules.by_name[rule.name] = rule
            for scope in rule.scopes:
                rules.by_scope.setdefault(scope, []).append(rule)
        return rules


def _chosen_rules(select: Sequence[str], ignore: Sequence[str]) -> list[type[Rule]]:
    selected, unknown = resolve(list(select)) if select else (list(RULES), [])
    ignored, unknown_ignored = resolve(list(ignore))
    unknown += unknown_ignored
    if unknown:
        from creepcheck.rules.registry import suggest

        problems = []
        for rule_id in unknown:
            hint = suggest(rule_id)
            tip = f' (did you mean "{hint}"?)' if hint else ""
            problems.append(Problem("", f'unknown rule "{rule_id}"{tip}; see `creepcheck rules`'))
        raise UserError(problems)
    return [r for r in selected if r not in ignored]


def check(options: CheckOptions) -> RunResult:
    """Lint the campaigns under `options.paths`; raise UserError for bad input files."""
    started, clock = datetime.now(timezone.utc), time.monotonic()
    setup = _Setup.load(options)
    result = RunResult(root=setup.config.root)
    checker = setup.checker()
    with collector.paused():
        for campaign in setup.campaigns:
            checker.prepare(campaign)
        if checker.run.text is not None and setup.campaigns:  # inherited by workers
            checker.run.text.warm({c.language for c in setup.campaigns})
    sources: set[ProfileSource] = set()
    with collector.frozen_heap(), _batch_runner(options, checker) as runner:
        for campaign in setup.campaigns:
            result.findings.extend(checker.prepare(campaign).template_findings)
            path = _profiles_path(checker, campaign, options)
            if path not in sources:
                sources.add(path)
                result.problems.extend(_schema_problems(path, checker.config.mapping))
            no_zone = result.stats.skipped.get(NO_ZONE_KEY, 0)
            audience = _Audience()
            _announce_size(path, options)
            # A sample is drawn from the parsed records, so that one process and workers
            # judge the same records (a repeated id is one whether or not it is drawn).
            if runner.on_workers and is_json_lines(path) and options.sample is None:
                _check_json_lines(runner, campaign, path, result, options, audience)
            else:
                batches = _batches(campaign, path, checker, result, options)
                for batch in runner.profiles(campaign.id, batches):
                    result.findings.extend(batch.findings)
                    _keep_examples(result, batch.examples)
                    result.messages.extend(batch.messages)
                    result.stats.messages += batch.rendered
                    result.stats.profiles_checked += batch.checked
                    audience.add(batch.fields, batch.checked)
                    if options.progress:
                        options.progress(batch.checked)
            if options.profile_ids is None:  # a chosen few profiles are not the audience
                result.findings.extend(checker.absent_fields(campaign, audience))
            if result.stats.skipped.get(NO_ZONE_KEY, 0) > no_zone:
                missing = result.stats.skipped[NO_ZONE_KEY] - no_zone
                result.problems.append(_no_zone_problem(campaign, path, missing))
    result.stats.campaigns = len(setup.campaigns)
    result.channels = {
        c.id: tuple(dict.fromkeys(spec.channel for spec in c.messages)) for c in setup.campaigns
    }
    # Suppressions, fingerprints and waivers (findings.py); waivers listed with their status.
    enabled = frozenset(setup.rules.by_name)
    result.findings = finalize(
        result.findings, setup.campaigns, enabled=enabled, repository=setup.config.repository_root
    )
    result.waivers = list(waiver_entries(result.findings, setup.campaigns))
    result.audit = build_audit(
        started,
        time.monotonic() - clock,
        setup.run.policy,
        setup.campaigns,
        sorted(s.database if isinstance(s, DatabaseQuery) else s for s in sources),
        setup.config.root,
    )
    return result


def _keep_examples(result: RunResult, examples: dict[tuple[str, str, str], str]) -> None:
    for key, text in examples.items():
        result.examples.setdefault(key, text)


@dataclass
class _Setup:
    """Everything a run (or a worker process) needs before the first profile."""

    options: CheckOptions
    config: ProjectConfig
    rules: RuleSet
    run: RunContext
    campaigns: list[Campaign]

    @classmethod
    def load(cls, options: CheckOptions) -> _Setup:
        config = load_project_config(options.paths[0] if options.paths else Path("."))
        base = config.root if not options.policy else Path.cwd()
        policy = load_policy(options.policy or config.policy, base, root=config.repository_root())
        rules = RuleSet.build(policy, options.select, options.ignore)
        run = RunContext(policy=policy, text=_text_analyzer(policy, config, rules))
        return cls(options, config, rules, run, _load_campaigns(options, config))

    def checker(self) -> _CampaignChecker:
        return _CampaignChecker(self.rules, self.run, self.options, self.config)


BATCH_SIZE = 256
MAX_EXAMPLES = 2_000  # rendered messages kept per process, one per group of findings
NO_ZONE_KEY = (QuietHours.name, NO_ZONE)


def _profiles_path(
    checker: _CampaignChecker, campaign: Campaign, options: CheckOptions
) -> ProfileSource:
    path = options.profiles or campaign.profiles
    if path is None:
        raise UserError(
            [
                Problem(
                    display_path(campaign.path),
                    "no profiles to check against: name a "
                    "`profiles:` file here, in creepcheck.yaml, or pass --profiles",
                    campaign.line,
                )
            ]
        )
    return path


def _announce_size(path: ProfileSource, options: CheckOptions) -> None:
    """The audience size for the progress bar, where one fast pass finds it: a JSON
    Lines file's records are its non-blank lines. (A sample's size is told once drawn.)"""
    if options.audience_size is None or options.sample is not None:
        return
    if options.profile_ids is not None or not is_json_lines(path):
        return
    try:
        with path.open("rb") as stream:
            count = sum(1 for line in stream if line.strip())
    except OSError:
        return  # the loader reports it
    options.audience_size(count)


def _schema_problems(path: ProfileSource, mapping: Mapping[str, str]) -> list[Problem]:
    """Once per profile source: field names that match nothing creepcheck reads."""
    line, paths = source_fields(path, mapping)
    if line is None:
        return []
    file = source_name(path)
    return [Problem(file, message, line, fatal=False) for message in schema_messages(paths)]


def _batches(
    campaign: Campaign,
    path: ProfileSource,
    checker: _CampaignChecker,
    result: RunResult,
    options: CheckOptions,
) -> Iterator[list[Profile]]:
    """The campaign's profiles in batches; rejected records go to `result.problems`."""
    batch: list[Profile] = []
    items: Iterable[Profile | RecordProblem] = iter_profiles(path, checker.config.mapping)
    if options.sample is not None:
        items = reservoir(items, options.sample, options.seed)
        if options.audience_size:
            options.audience_size(len(items))
    for item in items:
        if options.profile_ids is not None and (
            isinstance(item, RecordProblem) or item.id not in options.profile_ids
        ):
            continue
        if isinstance(item, RecordProblem):
            result.problems.append(Problem(item.file, item.message, item.line))
            result.stats.profiles_rejected += 1
            continue
        result.stats.profiles_read += 1
        _add_value_problems(
            result, item.file, item.id, item.line, checker.value_problems(campaign, item)
        )
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_json_lines(
    runner: Runner,
    campaign: Campaign,
    path: Path,
    result: RunResult,
    options: CheckOptions,
    audience: _Audience,
) -> None:
    """`_batches` and `check_batch` for a JSON Lines file on workers: the main process
    only reads lines, the workers parse and check them, and the main process takes
    their outcomes in file order, rejecting repeated ids as `iter_profiles` would."""
    file, seen = display_path(path), SeenIds(path)
    for outcomes in runner.lines(campaign.id, file, _chunks(iter_json_lines(path))):
        checked = 0
        for outcome in outcomes:
            problem = outcome.problem or seen.repeat(outcome.profile, file, outcome.line)
            if problem is not None:
                if options.profile_ids is None:  # else bad records go unmentioned
                    result.problems.append(Problem(problem.file, problem.message, problem.line))
                    result.stats.profiles_rejected += 1
                continue
            result.stats.profiles_read += 1
            _add_value_problems(result, file, outcome.profile, outcome.line, outcome.value_problems)
            result.findings.extend(outcome.findings)
            _keep_examples(result, outcome.examples)
            result.messages.extend(outcome.messages)
            result.stats.messages += outcome.rendered
            audience.add(outcome.fields, 1)
            checked += 1
        result.stats.profiles_checked += checked
        if options.progress:
            options.progress(checked)


def _add_value_problems(
    result: RunResult, file: str, profile: str, line: int | None, problems: list[ValueProblem]
) -> None:
    """A profile's value problems as input problems, and the checks they kept from
    running counted for the summary. A missing time zone is only counted here: one
    problem per campaign says how many profiles lack one (see `_no_zone_problem`)."""
    for problem in problems:
        if problem.skipped is not None and problem.reason is not None:
            key = (problem.skipped, problem.reason)
            result.stats.skipped[key] = result.stats.skipped.get(key, 0) + 1
        if problem.reason != NO_ZONE:
            message = f"profile {profile}: {problem.message}"
            result.problems.append(
                Problem(file, message, line, fatal=False, skipped=problem.skipped)
            )


def _no_zone_problem(campaign: Campaign, path: ProfileSource, profiles: int) -> Problem:
    count = f"{profiles} profile{'s' if profiles != 1 else ''}"
    message = (
        f"quiet-hours not checked for {count} of {source_name(path)} without a timezone: "
        "give each profile an IANA zone name such as America/Chicago"
    )
    return Problem(display_path(campaign.path), message, campaign.line, False, "quiet-hours")


def _chunks(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(lines)
    while chunk := list(itertools.islice(iterator, BATCH_SIZE)):
        yield chunk


class Runner(Protocol):
    """Where batches are checked: in this process, or on worker processes (results in
    input order either way)."""

    on_workers: bool

    def profiles(self, campaign_id: str, batches: Iterable[list[Profile]]) -> Iterator[Batch]: ...

    def lines(
        self, campaign_id: str, file: str, batches: Iterable[list[tuple[int, str]]]
    ) -> Iterator[list[LineOutcome]]: ...


class _InProcess:
    on_workers = False

    def __init__(self, checker: _CampaignChecker) -> None:
        self.checker = checker

    def profiles(self, campaign_id: str, batches: Iterable[list[Profile]]) -> Iterator[Batch]:
        return (self.checker.check_batch(campaign_id, batch) for batch in batches)

    def lines(
        self, campaign_id: str, file: str, batches: Iterable[list[tuple[int, str]]]
    ) -> Iterator[list[LineOutcome]]:
        return (self.checker.check_lines(campaign_id, file, batch) for batch in batches)


@contextmanager
def _batch_runner(options: CheckOptions, checker: _CampaignChecker) -> Iterator[Runner]:
    if options.jobs <= 1:
        yield _InProcess(checker)
        return
    from creepcheck.parallel import worker_pool

    with worker_pool(replace(options, progress=None, audience_size=None), checker) as workers:
        yield workers


def _text_analyzer(policy: Policy, config: ProjectConfig, rules: RuleSet) -> TextAnalyzer | None:
    if not rules.scope("message"):
        return None
    from creepcheck.text import TextAnalyzer

    return TextAnalyzer(policy, model=config.spacy_model)


def _load_campaigns(options: CheckOptions, config: ProjectConfig) -> list[Campaign]:
    paths = discover_campaigns(
        list(options.paths), config.exclude, root=config.root, repository=config.repository_root
    )
    if not paths:
        where = ", ".join(str(p) for p in options.paths)
        raise UserError(
            f"no campaigns found under {where} (looked for campaign.yaml, "
            "campaign.yml and *.campaign.yaml)"
        )
    campaigns: list[Campaign] = []
    problems: list[Problem] = []
    seen: dict[str, Campaign] = {}
    for path in paths:
        try:
            campaign = load_campaign(
                path,
                default_language=config.language,
                default_profiles=config.profiles,
                root=config.repository_root(path.parent),
            )
        except UserError as exc:
            problems.extend(exc.problems)
            continue
        if campaign.id in seen:
            problems.append(
                Problem(
                    str(path),
                    f'duplicate campaign id "{campaign.id}", also used in {seen[campaign.id].path}',
                    campaign.line,
                )
            )
            continue
        seen[campaign.id] = campaign
        campaigns.append(campaign)
    if problems:
        raise UserError(problems)
    return campaigns


@dataclass
class _Audience:
    """The fields seen across a campaign's checked profiles (see `observed_fields`),
    merged from batches in this process or on workers."""

    fields: set[str] = field(default_factory=set)
    checked: int = 0

    def add(self, fields: Iterable[str], checked: int) -> None:
        self.fields.update(fields)
        self.checked += checked


@dataclass
class Batch:
    """What checking a batch of profiles for one campaign produced."""

    findings: list[Finding] = field(default_factory=list)
    messages: list[MessageRecord] = field(default_factory=list)
    checked: int = 0
    rendered: int = 0
    fields: set[str] = field(default_factory=set)  # observed in the batch's profiles
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)


@dataclass
class LineOutcome:
    """What a worker made of one JSON Lines record: a rejected record's problem, or the
    checked profile's id, value problems, findings and messages."""

    line: int
    problem: RecordProblem | None = None
    profile: str = ""
    value_problems: list[ValueProblem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    messages: list[MessageRecord] = field(default_factory=list)
    rendered: int = 0
    fields: tuple[str, ...] = ()  # observed in the profile
    examples: dict[tuple[str, str, str], str] = field(default_factory=dict)


@dataclass
class _Prepared:
    renderer: Renderer
    compiled: dict[int, CompiledMessage]
    template_findings: list[Finding]
    # What each template reads from its context, when missing-data is enabled, and the
    # nested fields to survey in the audience for it.
    reads: list[tuple[TemplateSubject, list[FieldRef]]] = field(default_factory=list)
    parents: frozenset[str] = frozenset()

    def observe(self, profile: Profile) -> list[str]:
        return observed_fields(profile.data, self.parents) if self.reads else []


class _CampaignChecker:
    def __init__(
        self, rules: RuleSet, run: RunContext, options: CheckOptions, config: ProjectConfig
    ) -> None:
        self.rules, self.run, self.options, self.config = rules, run, options, config
        self.renderers: dict[Path, Renderer] = {}
        self.prepared: dict[str, _Prepared] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.memo = FindingMemo() if tuning.OPTIMISE else None
        # One rendered message per group of identical findings (findings.group_key),
        # kept in this process and handed on with the batch that found it.
        self.example_keys: set[tuple[object, ...]] = set()
        self.examples: dict[tuple[str, str, str], str] = {}

    def renderer(self, campaign: Campaign) -> Renderer:
        root = self.config.repository_root(campaign.root)
        if root not in self.renderers:
            self.renderers[root] = Renderer(root, display_root=Path.cwd())
        return self.renderers[root]

    def prepare(self, campaign: Campaign) -> _Prepared:
        """Compile and statically check the campaign's templates, once."""
        if campaign.id not in self.prepared:
            renderer = self.renderer(campaign)
            findings: list[Finding] = []
            compiled = self._compile(campaign, renderer, findings)
            prepared = _Prepared(renderer, compiled, findings)
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

    def absent_fields(self, campaign: Campaign, audience: _Audience) -> list[Finding]:
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

    def check_batch(self, campaign_id: str, profiles: list[Profile]) -> Batch:
        campaign = self.campaigns[campaign_id]
        prepared = self.prepared[campaign_id]
        batch = Batch()
        for profile in profiles:
            findings, messages = self._check_profile(campaign, profile, prepared)
            batch.fields.update(prepared.observe(profile))
            batch.findings.extend(findings)
            batch.rendered += len(messages)
            if self.options.collect_messages:
                batch.messages.extend(messages)
            batch.checked += 1
        batch.examples, self.examples = self.examples, {}
        return batch

    def check_lines(
        self, campaign_id: str, file: str, lines: list[tuple[int, str]]
    ) -> list[LineOutcome]:
        """Parse and check JSON Lines records (see `_check_json_lines`)."""
        campaign = self.campaigns[campaign_id]
        prepared = self.prepared[campaign_id]
        wanted = self.options.profile_ids
        outcomes = []
        for line, text in lines:
            item = json_line_profile(text, file, line)
            if wanted is not None and (isinstance(item, RecordProblem) or item.id not in wanted):
                continue
            if isinstance(item, RecordProblem):
                outcomes.append(LineOutcome(line, problem=item))
                continue
            findings, messages = self._check_profile(campaign, item, prepared)
            outcomes.append(
                LineOutcome(
                    line,
                    profile=item.id,
                    value_problems=self.value_problems(campaign, item),
                    findings=findings,
                    messages=messages if self.options.collect_messages else [],
                    rendered=len(messages),
                    fields=_shared(tuple(sys.intern(f) for f in prepared.observe(item))),
                    examples=self.examples,
                )
            )
            self.examples = {}
        return outcomes

    def _compile(
        self, campaign: Campaign, renderer: Renderer, findings: list[Finding]
    ) -> dict[int, CompiledMessage]:
        compiled: dict[int, CompiledMessage] = {}
        error_rule = self.rules.by_name.get(TemplateErrorRule.name)
        for spec in campaign.messages:
            try:
                message = renderer.compile_message(campaign, spec)
            except TemplateError as exc:
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
        self, campaign: Campaign, profile: Profile, prepared: _Prepared
    ) -> tuple[list[Finding], list[MessageRecord]]:
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
        if texts and settled:
            self._keep_examples(settled, texts, profile)
        return settled, messages

    def _keep_examples(
        self, findings: list[Finding], texts: dict[str, RenderedMessage], profile: Profile
    ) -> None:
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
            self.examples[(finding.campaign or "", finding.channel, profile.id)] = shown

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
        except TemplateError as exc:
            rule = self.rules.by_name.get(TemplateErrorRule.name)
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
                subject.campaign.id, subject.spec.channel, subject.profile.id, _specificity(message)
            )
        )
        return findings

    def _missing_contact(self, campaign: Campaign, spec: object, profile: Profile) -> list[Finding]:
        rule = self.rules.by_name.get(MissingContactPoint.name)
        if rule is None:
            return []
        subject = DeliverySubject(campaign, spec, profile, self.run)  # type: ignore[arg-type]
        channel = spec.channel  # type: ignore[attr-defined]
        return [
            rule.finding(
                subject,
                f"No contact point for {channel}; the message is not rendered for this profile",
                fix=f"Add a valid contact_points.{channel} entry to the sample "
                "profile, or drop it from this channel's audience.",
            )
        ]


def _run_rules(rules: Iterable[Rule], subject: object) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.check(subject))
    return findings


def _template_error(rule: Rule, campaign: Campaign, spec: object, exc: TemplateError) -> Finding:
    subject = TemplateSubject(campaign, spec, None, exc.file or "", "", None)  # type: ignore[arg-type]
    return rule.finding(
        subject,
        str(exc),
        file=exc.file or display_path(campaign.path),
        line=exc.line,
        fix="Fix the template so it parses and renders for every profile "
        "(guard optional fields with `default` or `if`).",
    )


def _specificity(message: MessageSubject) -> int:
    from creepcheck.rules import specificity_budget

    measure = getattr(specificity_budget, "specificity", None)
    return measure(message) if measure else 0


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
