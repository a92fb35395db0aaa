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
from creepcheck.loaders.config import unknown_key_message
from creepcheck.loaders.warehouse import query_setting
from creepcheck.loaders.yamlio import LineDict, LineList, describe, display_path, load_yaml_file
from creepcheck.models import (
    AUDIENCES,
    CHANNELS,
    LANGUAGES,
    PURPOSES,
    Campaign,
    DatabaseQuery,
    MessageSpec,
    ProfileSource,
    Waiver,
)

CAMPAIGN_NAMES = ("campaign.yaml", "campaign.yml")
CAMPAIGN_SUFFIX = ".campaign.yaml"
SKIPPED_FOLDERS = ("node_modules", "__pycache__")
CAMPAIGN_KEYS = (
    "id",
    "name",
    "purpose",
    "audience",
    "send_at",
    "language",
    "profiles",
    "messages",
    "waivers",
)
MESSAGE_KEYS = ("channel", "subject", "body", "template")
WAIVER_KEYS = ("rule", "profiles", "channels", "reason", "approved_by", "expires")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".md", ".mjml")
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
    """Validates a loaded campaign mapping, collecting problems instead of stopping."""

    def __init__(self, path: Path, file: str, within: Path) -> None:
        self.path = path
        self.file = file
        self.within = within  # where the files it names must be
        self.problems: list[Problem] = []

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, line))

    def read(
        self, data: LineDict, default_language: str, default_profiles: ProfileSource | None
    ) -> Campaign:
        self.unknown_keys(data, CAMPAIGN_KEYS, "")
        campaign_id = self.string(data, "id", "", required=True) or ""
        fields: dict[str, Any] = {
            "id": campaign_id,
            "name": self.string(data, "name", "") or campaign_id,
            "purpose": self.choice(data, "purpose", "", PURPOSES, "marketing"),
            "audience": self.choice(data, "audience", "", AUDIENCES, "b2c"),
            "language": self.choice(data, "language", "", LANGUAGES, default_language),
            "send_at": self.send_at(data),
        }
        profiles = self.profiles(data) or default_profiles
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
            line=data.line_of("id"),
            raw=dict(fields),
        )

    # --- field checks ---

    def unknown_keys(self, data: LineDict, allowed: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(data.line_of(key), f"{where}{unknown_key_message(key, allowed)}")

    def string(self, data: LineDict, key: str, where: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(data.line, f'{where}missing required key "{key}"')
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(data.line_of(key), f"{where}{key}: expected a text, got {describe(value)}")
            return None
        return value

    def choice(
        self, data: LineDict, key: str, where: str, allowed: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key)
        if value is None:
            return default
        if value not in allowed:
            expected = ", ".join(allowed)
            message = f"{where}{key}: expected one of {expected}, got {describe(value)}"
            self.fail(data.line_of(key), message)
            return default
        return str(value)

    def send_at(self, data: LineDict) -> datetime:
        """An aware date-time: without a zone, the hour quiet hours judge is a guess."""
        value = data.get("send_at")
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
        if value is None:
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
        if items is None:
            self.fail(data.line, 'missing required key "messages"')
            return ()
        if not isinstance(items, LineList) or not items:
            message = f"messages: expected a non-empty list of messages, got {describe(items)}"
            self.fail(data.line_of("messages"), message)
            return ()
        specs = (
            self.message(index, item, items.line_of(index)) for index, item in enumerate(items)
        )
        return tuple(spec for spec in specs if spec is not None)

    def message(self, index: int, item: Any, line: int) -> MessageSpec | None:
        where = f"messages[{index}]: "
        if not isinstance(item, LineDict):
            self.fail(
                line, f"{where}expected a mapping with channel and body, got {describe(item)}"
            )
            return None
        self.unknown_keys(item, MESSAGE_KEYS, where)
        channel = item.get("channel")
        if channel is None:
            self.fail(line, f'{where}missing required key "channel"')
        elif channel not in CHANNELS:
            expected = ", ".join(CHANNELS)
            message = f"{where}channel: expected one of {expected}, got {describe(channel)}"
            self.fail(item.line_of("channel"), message)
        subject = self.string(item, "subject", where)
        body = self.string(item, "body", where)
        template = self.template(item, where)
        if all(item.get(key) is None for key in ("subject", "body", "template")):
            self.fail(line, f"{where}expected at least one of subject, body, template")
        template_line = item.line_of("template") if template is not None else None
        return MessageSpec(index, str(channel), subject, body, template, line, template_line)

    def template(self, item: LineDict, where: str) -> str | None:
        value = self.string(item, "template", where)
        if value is not None and looks_like_text(value):
            message = (
                f"{where}template: this is message text, not a file name: put inline text "
                "under body: (template: names a file beside the campaign file, such as "
                "sms.txt.j2)"
            )
            self.fail(item.line_of("template"), message)
            return None
        if value is not None and (os.path.isabs(value) or value.startswith(("/", "\\"))):
            expected = "expected a path relative to the campaign file"
            message = f"{where}template: {expected}, got {describe(value)}"
            self.fail(item.line_of("template"), message)
            return None
        return value

    def waivers(self, data: LineDict) -> tuple[Waiver, ...]:
        items = data.get("waivers")
        if items is None:
            return ()
        if not isinstance(items, LineList):
            self.fail(data.line_of("waivers"), f"waivers: expected a list, got {describe(items)}")
            return ()
        waivers = (
            self.waiver(index, item, items.line_of(index)) for index, item in enumerate(items)
        )
        return tuple(waiver for waiver in waivers if waiver is not None)

    def waiver(self, index: int, item: Any, line: int) -> Waiver | None:
        where = f"waivers[{index}]: "
        if not isinstance(item, LineDict):
            message = (
                f"{where}expected a mapping with rule, reason and approved_by, got {describe(item)}"
            )
            self.fail(line, message)
            return None
        self.unknown_keys(item, WAIVER_KEYS, where)
        rule = self.string(item, "rule", where, required=True)
        reason = self.string(item, "reason", where, required=True)
        approved_by = self.string(item, "approved_by", where, required=True)
        profiles = self.names(item, "profiles", where, "profile ids", None)
        channels = self.names(item, "channels", where, "channel names", CHANNELS)
        expires = self.expires(item, where)
        if rule is None or reason is None or approved_by is None:
            return None
        return Waiver(rule, reason, approved_by, expires, profiles, channels, line)

    def names(
        self, item: LineDict, key: str, where: str, noun: str, allowed: tuple[str, ...] | None
    ) -> tuple[str, ...] | None:
        value = item.get(key)
        if value is None:
            return None
        values = [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value
        if not isinstance(values, list) or not all(_is_name(v) for v in values):
            message = f"{where}{key}: expected a list of {noun}, got {describe(value)}"
            self.fail(item.line_of(key), message)
            return None
        bad = [str(v) for v in values if allowed is not None and v not in allowed]
        if bad:
            expected = ", ".join(allowed or ())
            message = f"{where}{key}: expected one of {expected}, got {describe(bad[0])}"
            self.fail(item.line_of(key), message)
            return None
        return tuple(str(v) for v in values)

    def expires(self, item: LineDict, where: str) -> date | None:
        value = item.get("expires")
        if value is None:
            return None
        moment = to_utc(value)
        if moment is None:
            message = f"{where}expires: expected a date such as 2026-06-30, got {describe(value)}"
            self.fail(item.line_of("expires"), message)
            return None
        return value if type(value) is date else moment.date()


def looks_like_text(value: str) -> bool:
    """Whether a `template:` value is the message itself rather than a file name: it has
    a line break or Jinja markup, or spaces without a template file's suffix."""
    if "\n" in value.strip() or any(mark in value for mark in ("{{", "{%", "{#")):
        return True
    return " " in value.strip() and not value.strip().lower().endswith(TEMPLATE_SUFFIXES)


def _is_name(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) != ""


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
