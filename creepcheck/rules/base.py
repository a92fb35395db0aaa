"""What every rule is made of: metadata, options, the subjects it checks, and findings.

A rule is a small class. Its docstring is its documentation (`creepcheck explain`) and
must have the sections *What it flags*, *Why it is creepy*, *Bad*, *Better* and
*Options*. `check()` is a pure generator: it reads the subject and yields findings, with
no I/O, printing or model loading. Text analysis reaches it through `subject.analysis`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from creepcheck.caching import Derived
from creepcheck.loaders.yamlio import display_path
from creepcheck.models import Campaign, Finding, MessageSpec, Profile, Severity
from creepcheck.text.recall import Sentence, split_sentences

if TYPE_CHECKING:
    from jinja2 import nodes

    from creepcheck.policy.model import Policy
    from creepcheck.render import RenderedMessage
    from creepcheck.text import Analysis, TextAnalyzer

# profile: once per campaign x profile; delivery: per message and profile, before rendering;
# message: per rendered message; template: per template, no profile; engine: raised by the
# engine itself (template errors, missing contact points).
Scope = Literal["profile", "delivery", "message", "template", "engine"]
OptionType = Literal["int", "float", "bool", "str", "time", "list[str]", "choice", "list[choice]"]


@dataclass(frozen=True)
class Option:
    """One policy parameter of a rule: its type, default and a one-line description."""

    type: OptionType
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None


@dataclass(frozen=True)
class RunContext:
    """What every rule may consult, built once per run."""

    policy: Policy
    text: TextAnalyzer | None = None


@dataclass
class ProfileSubject:
    """A profile as one campaign reaches it: for record rules (deceased, suppressed...)."""

    campaign: Campaign
    profile: Profile
    run: RunContext
    reached_channels: tuple[str, ...] = ()  # channels a message was rendered for


@dataclass
class DeliverySubject:
    """One message of a campaign addressed to one profile, before rendering.

    `destination` is the contact point the message goes to: the first valid one of the
    channel, or when none is valid the first listed one, with `deliverable` False.
    """

    campaign: Campaign
    spec: MessageSpec
    profile: Profile
    run: RunContext
    destination: Mapping[str, Any] = field(default_factory=dict)
    destination_channel: str = ""  # where it was listed (sms may use a phone number)
    deliverable: bool = True


@dataclass
class MessageSubject(DeliverySubject):
    """One message of a campaign rendered for one profile."""

    rendered: RenderedMessage = None  # type: ignore[assignment]  # always set by the engine

    @cached_property
    def analysis(self) -> Analysis:
        assert self.run.text is not None, "the engine builds a TextAnalyzer for text rules"
        return self.run.text.analyze(self.rendered, self.campaign.language)

    @property
    def campaign_file(self) -> str:
        return str(self.campaign.path)

    def locate(self, start: int) -> tuple[str | None, int | None]:
        """Template file and line that produced the rendered text at `start`."""
        return self.rendered.locate(start)


@dataclass
class TemplateSubject:
    """A message template on its own, before any profile: for static analysis."""

    campaign: Campaign
    spec: MessageSpec
    run: RunContext
    file: str  # template file, or the campaign file for inline templates
    source: str
    ast: nodes.Template
    line_offset: int = 0  # added to AST line numbers (inline templates sit in the campaign file)


Subject = ProfileSubject | DeliverySubject | MessageSubject | TemplateSubject


class Rule:
    """Base class of all rules. Subclasses set the class attributes and `check()`."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    scopes: ClassVar[tuple[Scope, ...]]
    summary: ClassVar[str]
    options: ClassVar[Mapping[str, Option]] = {}
    # Report at most once per campaign message (profile null), however many profiles hit it.
    once_per_message: ClassVar[bool] = False
    # Whether a finding about the recipient's record or destination means "do not send
    # this person this channel's message" (`--exclusions`). Findings about the copy (they
    # carry `spans` in the rendered text) mean "fix the copy" whatever this says.
    drops_recipient: ClassVar[bool] = False
    # For message rules: the top-level profile fields `check()` reads besides the
    # rendered message, its analysis, the campaign and the policy: `()` when the copy
    # alone decides, `("attributes",)`... None (the default): the whole profile and its
    # destination, so the rule runs for every profile. The engine keys its memo on this
    # declaration (memo.py); a rule with a declaration leaves masking to the engine.
    reads: ClassVar[tuple[str, ...] | None] = None

    def __init__(self, severity: Severity | None = None, **options: Any) -> None:
        self.severity = severity or self.default_severity
        self.config = {key: opt.default for key, opt in self.options.items()} | options

    def check(self, subject: Any) -> Iterator[Finding]:
        return iter(())

    def finding(
        self,
        subject: Subject,
        message: str,
        *,
        evidence: str = "",
        fix: str = "",
        fields: tuple[str, ...] | list[str] = (),
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        spans: tuple[tuple[int, int], ...] = (),
        channel: str | None | Literal[False] = False,
    ) -> Finding:
        """A finding of this rule about `subject`; location defaults to the campaign entry."""
        campaign = subject.campaign
        spec = getattr(subject, "spec", None)
        profile = getattr(subject, "profile", None)
        if channel is False:
            channel = spec.channel if spec is not None else None
        if file is None:
            file = display_path(campaign.path)
            line = line or (spec.line if spec is not None else campaign.line)
        return Finding(
            rule=self.name,
            code=self.code,
            severity=self.severity,
            message=message,
            campaign=campaign.id,
            channel=channel,
            profile=None if profile is None or self.once_per_message else profile.id,
            file=file,
            line=line,
            column=column,
            evidence=evidence,
            fix=fix,
            fields=tuple(fields),
            spans=spans,
        )


def sentences(subject: MessageSubject) -> tuple[Sentence, ...]:
    """The message's sentences for the recall rules, within the analysis's sentences when
    there is an analysis: once per rendered message and language."""
    if subject.run.text is None:
        return _SENTENCES.of(subject.rendered, None, using=subject)
    return _SENTENCES.of(subject.rendered, subject.campaign.language, using=subject)


def _split(subject: MessageSubject, language: str | None) -> tuple[Sentence, ...]:
    if language is None:
        return split_sentences(subject.rendered.text, None)
    bounds = tuple((s.start, s.end) for s in subject.analysis.sentences)
    return split_sentences(subject.rendered.text, bounds)


_SENTENCES: Derived[tuple[Sentence, ...]] = Derived(_split)


def drops_recipient(rule: type[Rule] | None, finding: Finding) -> bool:
    """Whether `finding` (of `rule`) puts its profile on the suppression list: a rule
    that drops recipients, a finding about a profile, not about the copy, not waived."""
    return (
        rule is not None
        and rule.drops_recipient
        and finding.profile is not None
        and not finding.spans
        and finding.counts
    )


def rule_doc(rule: type[Rule]) -> str:
    """The rule's documentation page, as `creepcheck explain` prints it."""
    import inspect

    return inspect.cleandoc(rule.__doc__ or "")
