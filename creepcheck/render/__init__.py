"""Rendering campaign templates in a sandbox, with a map back to the template source.

Templates are parsed once and instrumented: every `{{ expression }}` is wrapped in a
filter that brackets its value with private-use marker characters, and static text
carries point markers giving its template line. After rendering (and, for HTML, reducing
to visible text) the markers are parsed out, leaving plain text plus `Span`s that say
which template file and line produced each character and which profile fields a value
came from. Missing or empty values are recorded instead of failing the render.

The package: `message` (what a render gives), `sandbox` (the Jinja environment),
`compiled`, `renderer`, `sourcemap` (marked output to text and spans) and `caches`.
"""

from __future__ import annotations

from creepcheck.render.compiled import CompiledMessage, CompiledPart
from creepcheck.render.message import Link, Missing, RenderedMessage, Span
from creepcheck.render.renderer import Renderer, template_context
from creepcheck.render.renderlimits import Limits
from creepcheck.render.sandbox import ConfinedLoader, SandboxEnvironment
from creepcheck.render.sourcemap import URL

__all__ = [
    "URL",
    "CompiledMessage",
    "CompiledPart",
    "ConfinedLoader",
    "Limits",
    "Link",
    "Missing",
    "RenderedMessage",
    "Renderer",
    "SandboxEnvironment",
    "Span",
    "template_context",
]
