"""The records creepcheck passes between its loaders, engine, rules and reporters.

All of them are frozen: a rule or reporter can read them but never change them.
"""

from __future__ import annotations

import enum
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, overload

from creepcheck.caching import memoised

_T = TypeVar("_T")


CHANNELS = ("email", "sms", "phone", "push", "in_app", "direct_mail", "whatsapp", "social")
PURPOSES = ("marketing", "transactional", "service")
AUDIENCES = ("b2c", "b2b")
LANGUAGES = ("en", "ru")
PROFILE_STATUSES = ("active", "deceased", "closed", "suppressed")
CONSENT_STATUSES = ("granted", "implied", "denied", "withdrawn", "none")
CONTACT_SOURCES = (
    "customer",
    "web_form",
    "purchase",
    "support",
    "enrichment",
    "data_broker",
    "social_scrape",
    "inferred",
    "unknown",
)
SENSITIVE_CATEGORIES = (
    "health",
    "pregnancy",
    "sexual_orientation",
    "religion",
    "ethnicity",
    "political_opinion",
    "trade_union",
    "financial_hardship",
    "criminal_record",
    "disability",
    "bereavement",
    "divorce",
    "job_loss",
    "weight",
)
# Channels that share a phone number: a message on one may go to a number listed under another.
PHONE_CHANNELS = ("phone", "sms", "whatsapp")


@memoised(maxsize=4096)
def dotted_path(path: str) -> str:
    """A profile field path without its list indexes: `purchases[0].at` is `purchases.at`."""
    return re.sub(r"\[[^\]]*\]", "", path)

# Profile keys that hold the person's own name, wherever they sit in the profile.
PERSON_NAME_KEYS = frozenset(
    {
        "first_name", "last_name", "middle_name", "full_name", "given_name", "family_name",
        "surname", "nickname", "preferred_name", "display_name",
    }
)
# The same plus `name`, which is the person's name only at the top of the profile
# (`purchases[0].name` is a product).
NAME_FIELDS = PERSON_NAME_KEYS | {"name"}


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True)
class MessageSpec:
    """One entry of a campaign's `messages:` list, before rendering."""

    index: int
    channel: str
    subject: str | None = None
    body: str | None = None
    template: str | None = None  # path as written, relative to the campaign file
    line: int | None = None  # line of this entry in the campaign file
    template_line: int | None = None  # line of its `template:` key
    engine: str | None = None  # `engine:` of the message: jinja2, liquid or handlebars


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    approved_by: str
    expires: date | None = None
    profiles: tuple[str, ...] | None = None  # None: every profile
    channels: tuple[str, ...] | None = None  # None: every channel
    line: int | None = None

    def is_expired(self, on: date) -> bool:
        return self.expires is not None and self.expires < on

    def covers(self, rule_ids: tuple[str, str], profile: str | None, channel: str | None) -> bool:
        if self.rule not in rule_ids:
            return False
        if self.profiles is not None and profile not in self.profiles:
            return False
        return self.channels is None or channel in self.channels


@dataclass(frozen=True)
class DatabaseQuery:
    """Profiles from a query on a DuckDB database (`profiles: {database:, query:}`)."""

    database: Path  # resolved, confined like every path a repository file names
    query: str

    def __str__(self) -> str:  # how messages name the source: its database file
        return str(self.database)


ProfileSource = Path | DatabaseQuery  # a profile file or folder, or a database query


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    purpose: str
    audience: str
    send_at: datetime  # timezone-aware
    language: str
    path: Path  # the campaign file
    messages: tuple[MessageSpec, ...]
    waivers: tuple[Waiver, ...] = ()
    profiles: ProfileSource | None = None  # resolved path or query, when the campaign names one
    engine: str | None = None  # `engine:` of the campaign; None: by file suffix, else jinja2
    line: int | None = None  # line of `id:` in the campaign file
    raw: Mapping[str, Any] = field(default_factory=dict)  # what templates see as `campaign`

    @property
    def root(self) -> Path:
        return self.path.parent

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Data derived from the campaign (`caching.Derived`), kept while it lives."""
        return {}


@dataclass(frozen=True)
class Profile:
    """A sample customer profile, as loaded (nested mappings and lists)."""

    id: str
    data: Mapping[str, Any]
    file: str = ""
    line: int | None = None

    def get(self, dotted: str, default: Any = None) -> Any:
        """`consents.email.status` or `purchases.0.item` style lookup."""
        node: Any = self.data
        for part in dotted.split("."):
            if isinstance(node, Mapping):
                node = node.get(part)
            elif isinstance(node, list) and part.lstrip("-").isdigit():
                index = int(part)
                node = node[index] if -len(node) <= index < len(node) else None
            else:
                return default
            if node is None:
                return default
        return node

    def contact_points(self, channel: str) -> list[Mapping[str, Any]]:
        # Entries of another type were reported as profile problems (profile_values.py).
        return [
            point.entry
            for point in self.view.listed_under(channel)
            if point.is_point and (point.listed or point.entry)
        ]

    @cached_property
    def view(self) -> ProfileView:
        """The profile's known fields, read once for all its messages and checks."""
        return ProfileView.of(self.data)

    def consent(self, channel: str) -> Mapping[str, Any]:
        return self.view.consents.get(channel, {})

    def __reduce__(self) -> tuple[type[Profile], tuple[str, Mapping[str, Any], str, int | None]]:
        # Sent to `--jobs` workers as its fields alone, without derived data: a third of
        # the time of pickling the dataclass.
        return Profile, (self.id, self.data, self.file, self.line)

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Data derived from the profile (`caching.Derived`), made once for all its messages."""
        return {}

    @cached_property
    def leaves(self) -> tuple[tuple[str, Any], ...]:
        """Every scalar value with its path (`purchases[0].item`), for provenance."""
        found: list[tuple[str, Any]] = []
        _walk(self.data, "", found)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """One entry listed under `contact_points.<key>`; `entry` is the value as loaded,
    a mapping for a well-formed point, anything else for an entry to report."""

    listed_under: str  # the contact_points key: a channel, or `postal`
    index: int
    listed: bool  # False for a single entry given without a list
    entry: Any

    @property
    def is_point(self) -> bool:
        return isinstance(self.entry, (dict, Mapping))  # `dict` first: Mapping is slow

    @property
    def where(self) -> str:
        """Its path as problems name it (`contact_points.email[0]`)."""
        at = f"[{self.index}]" if self.listed else ""
        return f"contact_points.{self.listed_under}{at}"

    def _field(self, key: str) -> Any:
        return self.entry.get(key) if self.is_point else None

    @property
    def value(self) -> Any:
        return self._field("value")

    @property
    def source(self) -> Any:
        return self._field("source")

    @property
    def kind(self) -> Any:
        return self._field("kind")

    @property
    def status(self) -> Any:
        return self._field("status")


@dataclass(frozen=True, slots=True)
class Purchase:
    item: Any
    date: Any
    amount: Any
    store: Any


# How a profile's `gender` or `sex` field says the person's sex; other values say neither.
SEXES = {
    **dict.fromkeys(("male", "m", "man", "мужской", "м"), "male"),
    **dict.fromkeys(("female", "f", "woman", "женский", "ж"), "female"),
}


def _sex(data: Mapping[str, Any]) -> str | None:
    """The sex a profile's `gender` or `sex` says plainly, at the top or among the
    `attributes` the person gave (`{value: man, consented_uses: [matching]}`)."""
    attributes = data.get("attributes")
    given = attributes if isinstance(attributes, Mapping) else {}
    for said in (data.get("gender"), data.get("sex"), given.get("gender"), given.get("sex")):
        if isinstance(said, Mapping):
            said = said.get("value")
        if said:
            return SEXES.get(str(said).strip().lower())
    return None


@dataclass(frozen=True)
class ProfileView:
    """A profile's known fields, typed: names, contact points, purchases, consents and
    dates. Values stay as loaded (profile_values.py reports the ones it cannot read);
    only the structure is parsed here, once."""

    names: Mapping[str, str]  # NAME_FIELDS key -> the name, at the top of the profile
    entries: tuple[ContactPoint, ...]  # every non-empty entry under contact_points, in order
    # contact_points itself when it is not a mapping (reported, otherwise ignored)
    malformed_contact_points: Any
    purchases: tuple[Purchase, ...]
    consents: Mapping[str, Mapping[str, Any]]
    status: Any
    last_verified: Any
    sex: str | None = None  # "male" or "female" when `gender` or `sex` says so plainly

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> ProfileView:
        points = data.get("contact_points")
        entries: list[ContactPoint] = []
        malformed = None
        if isinstance(points, (dict, Mapping)):
            for key, listed in points.items():
                is_list = isinstance(listed, list)
                for index, entry in enumerate(listed if is_list else [listed]):
                    if entry is not None:
                        entries.append(ContactPoint(str(key), index, is_list, entry))
        elif points is not None:
            malformed = points
        purchases = data.get("purchases")
        consents = data.get("consents")
        return cls(
            names={
                key: value for key in NAME_FIELDS if isinstance(value := data.get(key), str)
            },
            entries=tuple(entries),
            malformed_contact_points=malformed,
            purchases=tuple(
                Purchase(p.get("item"), p.get("date"), p.get("amount"), p.get("store"))
                for p in (purchases if isinstance(purchases, list) else [])
                if isinstance(p, Mapping)
            ),
            consents={
                str(channel): consent
                for channel, consent in consents.items()
                if isinstance(consent, (dict, Mapping))
            }
            if isinstance(consents, (dict, Mapping))
            else {},
            status=data.get("status"),
            last_verified=data.get("last_verified"),
            sex=_sex(data),
        )

    @cached_property
    def _by_key(self) -> dict[str, tuple[ContactPoint, ...]]:
        grouped: dict[str, list[ContactPoint]] = {}
        for point in self.entries:
            grouped.setdefault(point.listed_under, []).append(point)
        return {key: tuple(points) for key, points in grouped.items()}

    def listed_under(self, key: str) -> tuple[ContactPoint, ...]:
        return self._by_key.get(key, ())

    @property
    def contact_points(self) -> Iterator[ContactPoint]:
        """The well-formed contact points (mappings), in the order listed."""
        return (point for point in self.entries if point.is_point)


_SCALARS = (str, int, float)


def _walk(node: Any, prefix: str, found: list[tuple[str, Any]]) -> None:
    # dict and scalars first: isinstance against the Mapping ABC is slow.
    if isinstance(node, dict) or (not isinstance(node, _SCALARS) and isinstance(node, Mapping)):
        for key, value in node.items():
            _walk(value, f"{prefix}.{key}" if prefix else str(key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, f"{prefix}[{index}]", found)
    elif node is not None:
        found.append((prefix, node))


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # slug
    code: str
    severity: Severity
    message: str
    campaign: str | None = None
    channel: str | None = None
    profile: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    evidence: str = ""
    fix: str = ""
    fields: tuple[str, ...] = ()
    # Offsets of the offending text in the rendered message, for `preview`.
    spans: tuple[tuple[int, int], ...] = ()
    fingerprint: str = ""
    waiver: Waiver | None = None  # set when a waiver covers this finding
    suppressed: str | None = None  # reason of an inline suppression that covers it

    @property
    def counts(self) -> bool:
        """Whether the finding counts towards `--fail-on` (waived ones do not)."""
        return self.waiver is None and self.suppressed is None


class MessageRecord(NamedTuple):
    """One rendered message, as listed in JSON `messages` and reports."""

    campaign: str
    channel: str
    profile: str
    specificity: int = 0


class MessageLog(Sequence[MessageRecord]):
    """A run's rendered messages, kept by column: a full audience has one per message,
    and a row here takes two or three bytes (a record object with its own profile id
    string takes a hundred). A profile's messages are consecutive and share its id; each
    column starts as narrow as a byte and widens when a value does not fit."""

    def __init__(self, records: Iterable[MessageRecord] = ()) -> None:
        self._kinds: list[tuple[str, str]] = []  # (campaign, channel)
        self._kind_numbers: dict[tuple[str, str], int] = {}
        self._kind = array("B")
        self._specificity = array("b")
        self._starts = array("I")  # the first message of each distinct consecutive id
        self._ids = bytearray()  # those ids, UTF-8, end to end
        self._id_ends = array("I")
        self._last_id: str | None = None
        self.extend(records)

    def append(self, record: MessageRecord) -> None:
        kind = (record.campaign, record.channel)
        number = self._kind_numbers.get(kind)
        if number is None:
            number = self._kind_numbers[kind] = len(self._kinds)
            self._kinds.append(kind)
        if record.profile != self._last_id:
            self._ids += record.profile.encode("utf-8", "surrogatepass")
            self._id_ends = _appended(self._id_ends, len(self._ids))
            self._starts = _appended(self._starts, len(self._kind))
            self._last_id = record.profile
        self._kind = _appended(self._kind, number)
        self._specificity = _appended(self._specificity, record.specificity)

    def extend(self, records: Iterable[MessageRecord]) -> None:
        for record in records:
            self.append(record)

    def __len__(self) -> int:
        return len(self._kind)

    @overload
    def __getitem__(self, index: int) -> MessageRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[MessageRecord]: ...
    def __getitem__(self, index: int | slice) -> MessageRecord | list[MessageRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        campaign, channel = self._kinds[self._kind[index]]
        position = index + len(self) if index < 0 else index
        profile = self._id(bisect_right(self._starts, position) - 1)
        return MessageRecord(campaign, channel, profile, self._specificity[index])

    def _id(self, number: int) -> str:
        start = self._id_ends[number - 1] if number else 0
        return self._ids[start : self._id_ends[number]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[MessageRecord]:
        kinds, number, profile = self._kinds, -1, ""
        starts, following = self._starts, 0
        for position, (kind, specificity) in enumerate(
            zip(self._kind, self._specificity, strict=True)
        ):
            if position == following:
                number += 1
                profile = self._id(number)
                following = starts[number + 1] if number + 1 < len(starts) else -1
            yield MessageRecord(*kinds[kind], profile, specificity)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"MessageLog({list(self)!r})"


_WIDER = {"B": "I", "I": "Q", "b": "i", "i": "q"}


def _appended(column: array[int], value: int) -> array[int]:
    """`column` with `value` appended: the same array, or a wider copy when it does not
    fit (an OverflowError leaves the array as it was)."""
    try:
        column.append(value)
    except OverflowError:
        if column.typecode not in _WIDER:
            raise
        return _appended(array(_WIDER[column.typecode], column), value)
    return column
