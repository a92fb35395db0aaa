from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from creepcheck.models import Finding, Severity, dotted_path
from creepcheck.render.templatescan import FieldRef, field_references
from creepcheck.rules.base import Option, Rule, TemplateSubject

# Words in a field name that say which sensitive category it holds (first match wins).
CATEGORY_HINTS = (
    ("pregnancy", r"pregnan|maternity|expecting|fertility|ivf|due_date"),
    (
        "health",
        r"diagnos|medical|medication|prescription|health|illness|disease|"
        r"condition|symptom|chronic|therapy|mental",
    ),
    ("religion", r"religio|faith|church|mosque|synagogue|temple|belief"),
    ("ethnicity", r"ethnic|race\b|racial|nationality"),
    ("sexual_orientation", r"sexual|orientation|lgbt|gender_identity"),
    ("disability", r"disab|impair|wheelchair"),
    ("financial_hardship", r"debt|bankrupt|arrears|insolven|overdue|hardship|default"),
    ("criminal_record", r"criminal|convict|offen[cs]e|arrest"),
    ("trade_union", r"union_member|trade_union"),
    ("political_opinion", r"politic|party_affil|voter"),
    ("bereavement", r"bereave|deceased_|widow|grief|funeral"),
)
USE_WORDS = {
    "condition": "branches on",
    "loop": "loops over",
    "filter": "filters with",
    "set": "computes a variable from",
    "output": "prints",
}


class SensitiveTargeting(Rule):
    """A template decides or prints on a sensitive or inferred-sensitive field.

    What it flags:
        A template that reads a profile field classed as sensitive in its conditions,
        loops, filters or output, found from the template alone (no profile needed).
        Fields are classed by the policy's `fields:` section and by name patterns
        (`*pregnan*`, `*diagnos*`, `*religio*`, `inferred.*`...). Reported once per
        template, at the line that first uses the field, with `profile: null`.

    Why it is creepy:
        Branching copy on a pregnancy score or a faith community treats a guess about
        someone's body or beliefs as a marketing lever, whatever the copy then says.

    Bad:
        {% if inferred.pregnancy_score > 0.8 %}Shop maternity{% endif %}

    Better:
        Target on what the person chose to share: {% if "baby" in newsletter_topics %}

    Options:
        patterns: field-name patterns treated as sensitive besides the policy's fields.
    """

    code = "CC202"
    name = "sensitive-targeting"
    default_severity = Severity.ERROR
    scopes = ("template",)
    summary = "Template logic uses a profile field classed as sensitive"
    options = {
        "patterns": Option(
            "list[str]",
            [
                "*pregnan*",
                "*diagnos*",
                "*religio*",
                "*ethnic*",
                "*sexual*",
                "*orientation*",
                "*disab*",
                "*medical*",
                "*health*",
                "*illness*",
                "*medical_condition*",
                "*health_condition*",
                "*_condition",
                "*conditions",
                "*medication*",
                "*prescription*",
                "*debt*",
                "*bankrupt*",
                "*arrears*",
                "*criminal*",
                "*convict*",
                "*union_member*",
                "*trade_union*",
                "*politic*",
                "*bereave*",
                "inferred",
                "inferred.*",
                "*.inferred.*",
            ],
            "field name patterns treated as sensitive besides the policy's `fields:`",
        ),
    }

    def check(self, subject: TemplateSubject) -> Iterator[Finding]:
        sensitive: dict[str, tuple[FieldRef, str, bool]] = {}
        for ref in sorted(field_references(subject.ast), key=lambda r: r.line):
            key = _dotted(ref.path)
            if key in sensitive:
                continue
            classed = self.classify(subject, ref.path)
            if classed is not None:
                sensitive[key] = (ref, *classed)
        if not sensitive:
            return
        first, category, inferred = next(iter(sensitive.values()))
        field = _dotted(first.path)
        kind = f"inferred {category}" if inferred and category != "inferred" else category
        kind = kind.replace("_", " ")
        article = "an" if kind[:1] in "aeiou" else "a"
        more = len(sensitive) - 1
        also = f" (and {more} more sensitive field{'s' if more > 1 else ''})" if more else ""
        line = first.line + subject.line_offset
        verb = USE_WORDS.get(first.use, "uses")
        yield self.finding(
            subject,
            f"The template {verb} {field}, {article} {kind} field{also}",
            evidence=_source_line(subject.source, first.line),
            fix=f"Do not target on {field}; target on what the person chose to share "
            "(topics they subscribed to, preferences they set), or send everyone the same copy.",
            fields=tuple(sensitive),
            file=subject.file,
            line=line,
        )

    def classify(self, subject: TemplateSubject, path: str) -> tuple[str, bool] | None:
        """(category, inferred) of a sensitive field path, or None."""
        dotted = _dotted(path)
        inferred = dotted == "inferred" or dotted.startswith("inferred.") or ".inferred." in dotted
        policy_class = subject.run.policy.field_class(dotted)
        if policy_class is not None:
            return policy_class.category, policy_class.inferred or inferred
        for pattern in self.config["patterns"]:
            if fnmatch.fnmatchcase(dotted.lower(), pattern.lower()):
                return _category(dotted) or ("inferred" if inferred else "sensitive"), inferred
        return None


def _dotted(path: str) -> str:
    return dotted_path(path)


def _category(path: str) -> str | None:
    lowered = path.lower()
    for category, hint in CATEGORY_HINTS:
        if re.search(hint, lowered):
            return category
    return None


def _source_line(source: str, line: int) -> str:
    lines = source.splitlines()
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= 200 else text[:199] + "…"
