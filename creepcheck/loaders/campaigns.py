"""Finding campaign files and reading one into a `Campaign` (SPEC 1.2).

Every problem in a campaign file is collected and raised together as one
`CampaignError`, each naming the file and line. Rule names in waivers are not checked
here: the engine knows the rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from creepcheck.confine import OUTSIDE, boundary, is_inside, outside_message, project_root
from creepcheck.errors import CampaignError, Problem, UserError
from creepcheck.loaders.warehouse import query_setting
from creepcheck.loaders.yamlio import LineDict, LineList, describe, display_path, load_yaml_file
from creepcheck.models import Campaign, DatabaseQuery, MessageSpec, ProfileSource, Waiver
from creepcheck.schemas import Outcome, validate

CAMPAIGN_NAMES = ("campaign.yaml", "campaign.yml")
CAMPAIGN_SUFFIX = ".campaign.yaml"
SKIPPED_FOLDERS = ("node_modules", "__pycache__")
TEMPLATE_SUFFIXES = (
    ".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".md", ".mjml",
    ".liquid", ".hbs", ".handlebars",
)
DATETIME_EXAMPLE = "2026-03-01T10:00:00Z"
# Rules move the send date to local time zones and by policy periods of days; a date far
# from both ends of the calendar keeps that arithmetic in range.
FIRST_SEND = datetime(1900, 1, 1, tzinfo=timezone.utc)
END_OF_SENDS = datetime(9000, 1, 1, tzinfo=timezone.utc)
SEND_AT_FORMS = (
    f"a date-time with a time zone, such as {DATETIME_EXAMPLE} or 2026-03-01T10:00:00-05:00, or now"
)


# --- discovery ---------------------------------------------------------------------------


def discover_campaigns(
    paths: Sequence[Path],
    exclude: Sequence[str] = (),
    *,
    root: Path | None = None,
    repository: Callable[[Path], Path] | None = None,
) -> list[Path]:
    """Campaign files named by `paths`: files as given, folders searched recursively.

    A folder search finds `campaign.yaml`, `campaign.yml` and `*.campaign.yaml`, and
    skips hidden folders, `node_modules` and whatever `exclude` matches. Exclude
    patterns work like .gitignore lines: `*` and `?` stay within one path part, `**`
    spans parts, and a pattern matches the end of a path taken from the searched folder
    or from `root` (the project root; default: the working folder), so `drafts`,
    `campaigns/archive`, `*-old` and `2024/**` all work; a pattern that matches a
    folder excludes everything under it. Folders above both are never matched.
    """
    missing = [Problem(str(p), "no such file or folder") for p in paths if not Path(p).exists()]
    if missing:
        raise UserError(missing)
    rules = [_glob(pattern) for pattern in exclude]
    found: dict[str, Path] = {}
    outside: list[Problem] = []
    for path in map(Path, paths):
        files = _search(path, rules, root) if path.is_dir() else [path]
        within = (repository or Path)(path) if path.is_dir() else None
        for file in files:
            if within is not None and not is_inside(file, within):
                outside.append(Problem(display_path(file), f"a link to a file {OUTSIDE}"))
            else:
                found.setdefault(os.path.abspath(file), file)
    if outside:
        raise UserError(outside)
    return sorted(found.values(), key=lambda p: p.as_posix())


def is_campaign_file(name: str) -> bool:
    return name in CAMPAIGN_NAMES or (
        name.endswith(CAMPAIGN_SUFFIX) and len(name) > len(CAMPAIGN_SUFFIX)
    )


def _search(folder: Path, rules: list[re.Pattern[str]], root: Path | None) -> Iterator[Path]:
    roots = [os.path.abspath(folder), os.path.abspath(root or os.getcwd())]
    for current, folders, files in os.walk(folder):
        base = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not _excluded(base / name, rules, roots)
        )
        for name in sorted(files):
            if is_campaign_file(name) and not _excluded(base / name, rules, roots):
                yield base / name


def _excluded(path: Path, rules: list[re.Pattern[str]], roots: list[str]) -> bool:
    if not rules:
        return False
    tails: set[str] = set()
    for root in roots:
        relative = os.path.relpath(os.path.abspath(path), root)
        if relative.startswith(".."):
            continue
        parts = Path(relative).parts
        tails.update("/".join(parts[i:]) for i in range(len(parts)))
    return any(rule.fullmatch(tail) for rule in rules for tail in tails)


def _glob(pattern: str) -> re.Pattern[str]:
    """A .gitignore-style glob as a regular expression."""
    text = pattern.strip().strip("/")
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            out.append({"*": "[^/]*", "?": "[^/]"}.get(text[i], re.escape(text[i])))
            i += 1
    return re.compile("".join(out))


# --- one campaign ------------------------------------------------------------------------


def load_campaign(
    path: Path,
    *,
    default_language: str = "en",
    default_profiles: ProfileSource | None = None,
    root: Path | None = None,
) -> Campaign:
    """Read and validate one campaign file; CampaignError lists every problem in it.

    Its `profiles:` may not leave `root` (the repository root; default: the git checkout
    or working folder holding the campaign), or the campaign's own folder when the file
    is outside `root` (confine.py).
    """
    path = Path(path)
    file = display_path(path)
    try:
        data = load_yaml_file(path, what="campaign file")
    except CampaignError:
        raise
    except UserError as exc:
        raise CampaignError(exc.problems) from None
    if not isinstance(data, LineDict):
        message = f"expected a mapping with id and messages, got {describe(data)}"
        raise CampaignError(Problem(file, message, 1))
    reader = _CampaignReader(path, file, boundary(path, root or project_root(None, path.parent)))
    return reader.read(data, default_language, default_profiles)


class _CampaignReader:
    """Checks a loaded campaign mapping: first against the campaign schema
    (creepcheck/schemas/campaign.yaml), then what a schema cannot say (the send time,
    where the files it names are, a waiver's expiry), collecting every problem."""

    def __init__(self, path: Path, file: str, within: Path) -> None:
        self.path = path
        self.file = file
        self.within = within  # where the files it names must be
        self.problems: list[Problem] = []
        self.checked = Outcome()

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, line))

    def read(
        self, data: LineDict, default_language: str, default_profiles: ProfileSource | None
    ) -> Campaign:
        self.checked = validate("campaign", data, self.file)
        self.problems.extend(self.checked.problems)
        campaign_id = self.text(data, "id") or ""
        fields: dict[str, Any] = {
            "id": campaign_id,
            "name": self.text(data, "name") or campaign_id,
            "purpose": self.text(data, "purpose") or "marketing",
            "audience": self.text(data, "audience") or "b2c",
            "language": self.text(data, "language") or default_language,
            "send_at": self.send_at(data),
        }
        profiles = self.profiles(data) or default_profiles
        engine = self.engine(data)
        messages = self.messages(data)
        waivers = self.waivers(data)
        if self.problems:
            raise CampaignError(sorted(self.problems, key=lambda p: p.line or 0))
        return Campaign(
            **fields,
            path=self.path,
            messages=messages,
            waivers=waivers,
            profiles=profiles,
            engine=engine,
            line=data.line_of("id"),
            raw=dict(fields),
        )

    def text(self, data: LineDict, key: str, *path: Any) -> str | None:
        """A text value the schema passed, else None."""
        value = data.get(key)
        if self.checked.failed_at(*path, key) or not isinstance(value, str):
            return None
        return value

    # --- what the schema cannot say ---

    def send_at(self, data: LineDict) -> datetime:
        """An aware date-time: without a zone, the hour quiet hours judge is a guess."""
        value = data.get("send_at")
        if self.checked.failed_at("send_at"):
            return datetime.now(timezone.utc)
        if value is None or isinstance(value, str) and value.strip().lower() == "now":
            return datetime.now(timezone.utc)
        parsed = _parse_iso(value.strip()) if isinstance(value, str) else value
        if isinstance(parsed, datetime) and parsed.tzinfo is not None:
            moment = to_utc(parsed)
            if moment is not None and FIRST_SEND <= moment < END_OF_SENDS:
                return moment
            problem = (
                f"{describe(value)} is outside {FIRST_SEND:%Y-%m-%d} to "
                f"{END_OF_SENDS - timedelta(days=1):%Y-%m-%d}"
            )
        elif isinstance(parsed, date):
            missing = "time zone" if isinstance(parsed, datetime) else "time or time zone"
            problem = f"{describe(value)} has no {missing}"
        else:
            problem = f"got {describe(value)}"
        message = f"send_at: {problem}: expected {SEND_AT_FORMS}"
        self.fail(data.line_of("send_at"), message)
        return datetime.now(timezone.utc)

    def profiles(self, data: LineDict) -> ProfileSource | None:
        value, query = data.get("profiles"), None
        if value is None or self.checked.failed_at("profiles"):
            return None
        if isinstance(value, Mapping):  # {database: crm.duckdb, query: SELECT ...}
            try:
                value, query = query_setting(value)
            except ValueError as exc:
                self.fail(data.line_of("profiles"), f"profiles: {exc}")
                return None
        if not isinstance(value, str) or not value.strip():
            message = f"profiles: expected a path to a profile file, got {describe(value)}"
            self.fail(data.line_of("profiles"), message)
            return None
        path = Path(os.path.abspath(self.path.parent / value))
        if not is_inside(path, self.within):
            message = outside_message(value, self.within, self.within)
            self.fail(data.line_of("profiles"), f"profiles: {message}")
            return None
        return path if query is None else DatabaseQuery(path, query)

    def messages(self, data: LineDict) -> tuple[MessageSpec, ...]:
        items = data.get("messages")
        if not isinstance(items, LineList):
            return ()
        specs = (
            self.message(index, item, items.line_of(index))
            for index, item in enumerate(items)
            if isinstance(item, LineDict)
        )
        return tuple(specs)

    def message(self, index: int, item: LineDict, line: int) -> MessageSpec:
        where = ("messages", index)
        template = self.template(item, where)
        template_line = item.line_of("template") if template is not None else None
        return MessageSpec(
            index,
            str(item.get("channel")),
            self.text(item, "subject", *where),
            self.text(item, "body", *where),
            template,
            line,
            template_line,
            self.engine(item),
        )

    @staticmethod
    def engine(data: LineDict) -> str | None:
        """`engine:` of a campaign or message (its values are checked by the schema)."""
        value = data.get("engine")
        return str(value) if isinstance(value, str) else None

    def template(self, item: LineDict, where: tuple[Any, ...]) -> str | None:
        value = self.text(item, "template", *where)
        prefix = f"messages[{where[1]}]: "
        if value is not None and looks_like_text(value):
            message = (
                f"{prefix}template: this is message text, not a file name: put inline text "
                "under body: (template: names a file beside the campaign file, such as "
                "sms.txt.j2)"
            )
            self.fail(item.line_of("template"), message)
            return None
        if value is not None and (os.path.isabs(value) or value.startswith(("/", "\\"))):
            expected = "expected a path relative to the campaign file"
            message = f"{prefix}template: {expected}, got {describe(value)}"
            self.fail(item.line_of("template"), message)
            return None
        return value

    def waivers(self, data: LineDict) -> tuple[Waiver, ...]:
        items = data.get("waivers")
        if not isinstance(items, LineList):
            return ()
        waivers = (
            self.waiver(index, item, items.line_of(index))
            for index, item in enumerate(items)
            if isinstance(item, LineDict)
        )
        return tuple(waiver for waiver in waivers if waiver is not None)

    def waiver(self, index: int, item: LineDict, line: int) -> Waiver | None:
        where = ("waivers", index)
        expires = self.expires(item, index)
        if self.checked.failed_at(*where):
            return None
        return Waiver(
            str(item["rule"]),
            str(item["reason"]),
            str(item["approved_by"]),
            expires,
            _names(item.get("profiles")),
            _names(item.get("channels")),
            line,
        )

    def expires(self, item: LineDict, index: int) -> date | None:
        value = item.get("expires")
        if value is None or self.checked.failed_at("waivers", index, "expires"):
            return None
        moment = to_utc(value)
        if moment is None:
            message = (
                f"waivers[{index}]: expires: expected a date such as 2026-06-30, "
                f"got {describe(value)}"
            )
            self.fail(item.line_of("expires"), message)
            return None
        return value if type(value) is date else moment.date()


def _names(value: Any) -> tuple[str, ...] | None:
    """A waiver's profile ids or channels: one, or a list of them."""
    if value is None:
        return None
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def looks_like_text(value: str) -> bool:
    """Whether a `template:` value is the message itself rather than a file name: it has
    a line break or Jinja markup, or spaces without a template file's suffix."""
    if "\n" in value.strip() or any(mark in value for mark in ("{{", "{%", "{#")):
        return True
    return " " in value.strip() and not value.strip().lower().endswith(TEMPLATE_SUFFIXES)


def to_utc(value: Any) -> datetime | None:
    """A YAML date, date-time or ISO string as an aware UTC datetime; None if it is none."""
    if isinstance(value, str):
        value = _parse_iso(value.strip())
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        try:
            return aware.astimezone(timezone.utc)
        except OverflowError:  # 0001-01-01T00:00:00+05:00: before the first UTC instant
            return None
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=timezone.utc)
    return None


def _parse_iso(text: str) -> datetime | date | None:
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None
