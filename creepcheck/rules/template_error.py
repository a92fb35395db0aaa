from __future__ import annotations

from creepcheck.models import Severity
from creepcheck.rules.base import Rule


class TemplateError(Rule):
    """A template that cannot be parsed or rendered.

    What it flags:
        A syntax error (reported once, with the template line), a template that fails
        for one profile (division by zero, a missing list item), a template file that
        is missing or outside the repository, and a render that breaks the sandbox's
        limits on output size or loop work.

    Why it is creepy:
        A template that crashes for some recipients sends them nothing, or a broken
        message, and hides every other problem in it.

    Bad:
        {% if first_name %}Hi {{ first_name }}   (the if is never closed)

    Better:
        {% if first_name %}Hi {{ first_name }}{% endif %}

    Options:
        None besides `severity`.
    """

    code = "CC901"
    name = "template-error"
    default_severity = Severity.ERROR
    scopes = ("engine",)
    summary = "A template cannot be parsed or rendered"
