"""The visible text of an HTML message, as a recipient would read it.

Uses the standard library's HTML parser (tolerant of broken markup). Tags, comments,
`<head>`, `<style>` and `<script>` are dropped; block elements become line breaks;
character references are decoded; link targets are kept with their link text. Text
hidden with CSS is kept on purpose: hiding copy must not hide it from the rules.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MARKERS = re.compile("[\ue000-\ue004][^\ue000-\ue004]*[\ue001\ue004]|[\ue000-\ue004]")
SPACES = re.compile(r"\s+")
BREAK = "\n\n"  # block elements are paragraphs; <br> is a single line break
SKIPPED = frozenset({"head", "style", "script", "title", "template", "svg"})
BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "address",
        "center",
        "body",
        "html",
        "form",
        "fieldset",
        "caption",
    }
)
VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "wbr",
        "col",
        "area",
        "base",
        "source",
        "track",
        "embed",
        "param",
    }
)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.links: list[tuple[str, str]] = []
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip_depth += 1
        elif tag in BLOCKS:
            self.parts.append(BREAK if tag != "br" else "\n")
        if tag == "a":
            href = MARKERS.sub("", dict(attrs).get("href") or "")
            self._link = (href.strip(), [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append(BREAK if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCKS:
            self.parts.append(BREAK)
        if tag == "a" and self._link is not None:
            href, words = self._link
            text = " ".join(MARKERS.sub("", "".join(words)).split())
            self.links.append((href, text))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.parts.append(SPACES.sub(" ", data))  # source line breaks are not visible
        if self._link is not None:
            self._link[1].append(data)


def html_to_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Visible text (markers kept) and the (href, link text) pairs of an HTML document."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    if parser._link is not None:  # an unclosed <a>
        parser.handle_endtag("a")
    return "".join(parser.parts), parser.links
