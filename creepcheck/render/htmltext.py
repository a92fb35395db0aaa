"""The visible text of an HTML message, as a recipient would read it.

Uses the standard library's HTML parser (tolerant of broken markup). Tags, comments,
`<head>`, `<style>` and `<script>` are dropped; block elements become line breaks;
character references are decoded; link targets are kept with their link text. Text
hidden with CSS is kept on purpose: hiding copy must not hide it from the rules.

The parser gives up on a construct it cannot close (`<!--`, `<a ` with no `>`) and
retries a character further on, scanning to the end each time: quadratic. So comments
are taken out first (an unclosed one runs to the end, as in a browser), and a `<` with
no `>` within `LONGEST_TAG` characters is text, as it is to a browser that finds none.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MARKERS = re.compile("[\ue000-\ue004][^\ue000-\ue004]*[\ue001\ue004]|[\ue000-\ue004]")
SPACES = re.compile(r"\s+")
LONGEST_TAG = 65_536  # room for a tag with an inline image
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


def _closed_constructs(html: str) -> str:
    """`html` without comments, and with `&lt;` for each `<` that no `>` closes soon."""
    pieces: list[str] = []
    kept_from = 0
    closing = -1  # the first ">" at or after the current "<"
    start = html.find("<")
    while start != -1:
        if html.startswith("<!--", start):
            end = html.find("-->", start + 2)
            pieces.append(html[kept_from:start])
            if end == -1:
                return "".join(pieces)
            kept_from = end + 3
            start = html.find("<", kept_from)
            continue
        if closing < start:
            closing = html.find(">", start)
        if closing == -1:
            pieces.append(html[kept_from:].replace("<", "&lt;"))
            return "".join(pieces)
        if closing - start > LONGEST_TAG:
            pieces += [html[kept_from:start], "&lt;"]
            kept_from = start + 1
        start = html.find("<", start + 1)
    pieces.append(html[kept_from:])
    return "".join(pieces)


def html_to_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Visible text (markers kept) and the (href, link text) pairs of an HTML document."""
    parser = _VisibleText()
    parser.feed(_closed_constructs(html))
    parser.close()
    if parser._link is not None:  # an unclosed <a>
        parser.handle_endtag("a")
    return "".join(parser.parts), parser.links
