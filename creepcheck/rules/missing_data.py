from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from creepcheck.models import Finding, Severity
from creepcheck.render.templatescan import FieldRef
from creepcheck.rules.base import MessageSubject, Rule, TemplateSubject


class MissingData(Rule):
    """A template that renders an empty or missing value for this profile, or reads a
    field no profile has.

    What it flags:
        An output expression (`{{ first_name }}`) whose value is missing, empty or
        None for the profile, so the message reads "Hi ," or "Hi None,". Expressions
        with a fallback (`{{ first_name | default('there', true) }}`) do not fire.
        And, once per template with `profile: null`, a field the template reads in a
        condition, loop, `set` or output that not one profile of the audience has,
        usually a misspelling (`{% if loyalty_teir == "gold" %}` for `loyalty_tier`):
        the condition is false for everyone and every recipient gets the else branch.
        The finding names the closest field that exists. Names the template defines
        (`set`, loop variables, macros) and reads behind `is defined` or `| default`
        do not fire.

    Why it is creepy:
        It is not creepy, it is sloppy: "Dear None" shows the recipient they are a row
        in a database, and often hides a join that failed.

    Bad:
        Hi {{ first_name }},   for a profile without first_name
        {% if loyalty_teir == "gold" %}   when the profiles have loyalty_tier

    Better:
        Hi {{ first_name | default('there', true) }},

    Options:
        None besides `severity`.
    """

    code = "CC404"
    name = "missing-data"
    default_severity = Severity.WARNING
    scopes = ("message",)
    reads = ()  # what rendered empty is in the rendered message
    summary = "A template renders a missing or empty field"

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        for missing in subject.rendered.missing:
            shown = f'"{missing.shown_as}"' if missing.shown_as else "nothing"
            yield self.finding(
                subject,
                f"{missing.expression} renders as {shown} for this profile",
                evidence=missing.context,
                fix=f"Give {missing.expression} a fallback, e.g. "
                f"{{{{ {missing.expression} | default('there', true) }}}}, or fill the field.",
                fields=(missing.field,) if missing.field else (),
                file=missing.file,
                line=missing.line,
            )


def dict_parents(reads: Iterable[FieldRef]) -> frozenset[str]:
    """The nested mappings (`address`, `consents.email`) whose keys the audience survey
    records, so that a misspelt key under them is found too."""
    parents: set[str] = set()
    for read in reads:
        keys = _mapping_keys(read.path)
        parents.update(".".join(keys[:depth]) for depth in range(1, len(keys)))
    return frozenset(parents)


def observed_fields(data: Mapping[str, Any], parents: Iterable[str]) -> list[str]:
    """The fields one profile has: its top-level keys and the keys under `parents`."""
    found = [str(key) for key in data]
    for parent in parents:
        node: Any = data
        for key in parent.split("."):
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            found.extend(f"{parent}.{key}" for key in node)
    return found


class KnownFields:
    """The fields an audience has (`observed_fields` of every profile), by parent."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = set(fields)
        self.children: dict[str, list[str]] = {}
        for name in self.fields:
            self.children.setdefault(name.rpartition(".")[0], []).append(name)

    def absent_prefix(self, path: str) -> str | None:
        """The shortest prefix of `path` no profile has, judged only where some profile
        has its parent as a mapping with keys; None when every judged prefix is present."""
        keys = _mapping_keys(path)
        for depth in range(1, len(keys) + 1):
            parent, prefix = ".".join(keys[: depth - 1]), ".".join(keys[:depth])
            if prefix in self.fields:
                continue
            return prefix if keys[depth - 1] and parent in self.children else None
        return None

    def closest(self, absent: str) -> str | None:
        """The sibling field nearest in spelling, looked for among a bounded number of
        candidates of near length (an audience can have thousands of fields)."""
        siblings = sorted(
            name
            for name in self.children.get(absent.rpartition(".")[0], [])
            if abs(len(name) - len(absent)) <= 2
        )
        if len(siblings) > _MAX_CANDIDATES:
            siblings = [name for name in siblings if name[:1] == absent[:1]][:_MAX_CANDIDATES]
        close = difflib.get_close_matches(absent, siblings, n=1, cutoff=0.6)
        return close[0] if close else None


_MAX_CANDIDATES = 300


def absent_field_findings(
    rule: Rule, subject: TemplateSubject, reads: Iterable[FieldRef], known: KnownFields,
    checked: int,
) -> Iterator[Finding]:
    """One finding per field the template reads that no profile of the audience has,
    at its first use."""
    reported: set[str] = set()
    for read in reads:
        absent = known.absent_prefix(read.path)
        if absent is None or absent in reported:
            continue
        reported.add(absent)
        close = known.closest(absent)
        hint = f' (did you mean "{close}"?)' if close else ""
        people = "the one profile" if checked == 1 else f"any of the {checked} profiles"
        yield rule.finding(
            subject,
            f'"{absent}" is not a field of {people} checked{hint}: the template '
            f"reads it as undefined for everyone",
            evidence=f"{read.use}: {read.path}",
            fix=f'Use "{close}".' if close
            else f"Add {absent} to the profiles, or guard it with `is defined`.",
            fields=(absent,),
            file=subject.file,
            line=read.line + subject.line_offset,
        )


def _mapping_keys(path: str) -> list[str]:
    """The keys of a dotted path up to its first list index: `a.b[0].c` -> [a, b]."""
    return path.split("[", 1)[0].split(".")
