"""Russian constructions that tie a sensitive word to the reader, beyond addressee.py's.

Russian says much of what English says with "you" through case and word order, and
leaves the reader out altogether where English cannot: «Разводитесь?», «Нашим
незрячим покупателям», «Для таких мусульман, как вы», «Светлой Пасхи вам»,
«Спасибо за поддержку партии», «Не дайте псориазу испортить вам лето». It also frames
a word as someone else's or as a supposition where English grammar differs:
«Если вы соблюдаете пост...», «Подруга ждёт ребёнка?», «Открытки с соболезнованиями».

`attribute` wraps addressee.attribute for Russian: the constructions that must win over
it first (a group the reader is addressed as, a partner's gender), then the vetoes
(supposition, third party, a product that carries the word), then addressee's own
reading, then the constructions it does not know. Every word list is a cue group of
lexicons/ru.yaml; only the grammar is here.
"""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.addressee import attribute as _base
from creepcheck.text.document import RawMatch, Token
from creepcheck.text.grammar import (
    AS,
    CONDOLENCE,
    CONGRATULATION,
    IMPERATIVE,
    POSSESSIVE,
    PRESUPPOSED,
    QUESTION,
    SUBJECT,
    Grammar,
    noun_phrase_owner,
)
from creepcheck.text.lexicon import Lexicon, token_keys

PARTNER = "sexual_orientation"
PREPOSITIONS = frozenset({"с", "со", "для", "от", "о", "об", "про", "против", "при", "из"})
PEOPLE_WITH = frozenset({"с", "со"})


class _Reading:
    """One match in one sentence, with the cue lookups the constructions share."""

    def __init__(self, tokens: Sequence[Token], match: RawMatch, lexicon: Lexicon) -> None:
        self.tokens = tokens
        self.match = match
        self.lexicon = lexicon

    def words(self, group: str) -> frozenset[str]:
        return self.lexicon.words(group)

    def has(self, token: Token, group: str) -> bool:
        return bool(token_keys(token) & self.lexicon.words(group))

    def cues(self, group: str) -> list[RawMatch]:
        return self.lexicon.cues(group, self.tokens)

    def before(self, group: str, within: int = 99) -> RawMatch | None:
        """The nearest cue of a group that ends before the match, in the same clause."""
        found = [
            c
            for c in self.cues(group)
            if c.last <= self.match.first and self.match.first - c.last <= within
        ]
        return max(found, key=lambda c: c.last) if found else None

    @property
    def addressed(self) -> bool:
        """«вы», «ваш», a 2nd-person verb, or a name set off by a comma (a vocative)."""
        return any(
            "2per" in t.tags or (i > 0 and self.tokens[i - 1].lower == "," and _name(t))
            for i, t in enumerate(self.tokens)
        )

    def clause(self, start: int, end: int) -> bool:
        """No clause boundary (comma, colon, dash, conjunction) in tokens[start:end]."""
        return not any(
            (t.is_punct and t.lower not in {"-", "«", "»", '"'}) or self.has(t, "clause_break")
            for t in self.tokens[start:end]
        )


def _name(token: Token) -> bool:
    return "Name" in token.tags and token.text[:1].isupper()


def attribute(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    grammar: Grammar,
    cues: frozenset[str],
) -> str | None:
    """How a Russian sentence ties this match to the reader, or None."""
    r = _Reading(tokens, match, lexicon)
    if match.entry.category == PARTNER and match.entry.kind == "cued" and _partner_word(r):
        return _same_sex_partner(r)
    group = _addressed_as_group(r)
    if group is not None:
        return group
    ours = _ours(r) and not _dear(r)  # «Дорогим вдовам нашего города» is the reader
    if _supposed(r) or _third_party(r) or _carried_by_product(r) or _topic(r) or ours:
        return None
    if match.entry.kind == "said":
        return PRESUPPOSED if _spoken_to(r) or _exclaimed(r) else None
    found = (
        _said_to_reader(r, cues)
        or _base(tokens, match, lexicon, grammar, cues)
        or _late(r, grammar)
    )
    spoken = found in {QUESTION, IMPERATIVE} or _spoken_to(r) or _memorial_of_one(r, found)
    if found is not None and match.entry.category == "bereavement" and not spoken:
        return None  # «Светлая память героям войны»: a memorial, not a condolence
    return found


def _memorial_of_one(r: _Reading, found: str | None) -> bool:
    """«Вечная ему память» after «Мы помним вашего мужа»: a condolence carried over from
    the sentence before, not a memorial to many («Светлая память героям войны»)."""
    after = r.tokens[r.match.last] if r.match.last < len(r.tokens) else None
    return found == CONDOLENCE and (after is None or "plur" not in after.tags)


def _exclaimed(r: _Reading) -> bool:
    """A question or an exclamation: «Аист уже в пути?», «Животик растёт по часам!»."""
    return any(t.lower in {"?", "!"} for t in r.tokens[r.match.last :])


def _spoken_to(r: _Reading) -> bool:
    """The sentence speaks to someone: «вы», «ваш», an imperative or a name after a comma."""
    return r.addressed or any("impr" in t.tags for t in r.tokens)


# -- the reader addressed as one of a group ----------------------------------------------
def _addressed_as_group(r: _Reading) -> str | None:
    m, tokens = r.match, r.tokens
    if m.entry.kind == "cued":
        return None
    # «покупателей-диабетиков», «Нашим незрячим покупателям», «Землякам-армянам»
    near = [t for t in tokens[max(0, m.first - 2) : m.first] if t.lower != "-"][-1:]
    near += [t for t in tokens[m.last : m.last + 2] if t.lower != "-"][:1]
    if any(r.has(t, "customer") for t in near):
        return AS
    # «таких мусульман, как вы», «людей с болезнью Крона, таких как вы», «вроде вас»
    for cue in r.cues("like_you"):
        if m.last <= cue.first <= m.last + 4 and r.clause(m.last, cue.first):
            return AS
        if m.last <= cue.first <= m.last + 2 and tokens[cue.first].lower == ",":
            return AS
    for cue in r.cues("as_you") + r.cues("like_you"):
        before_match = cue.last <= m.first <= cue.last + 3
        such_before = any(
            r.has(t, "such") or t.lemma == "кто"
            for t in tokens[max(0, cue.first - 2) : cue.first + 1]
        )
        if before_match and such_before and tokens[cue.last - 1].lower in {",", "вы", "ты"}:
            return AS  # «Помогаем таким, как вы, выбраться из долгов»
    such = any(r.has(t, "such") for t in tokens[max(0, m.first - 2) : m.first])
    for cue in r.cues("as_you"):
        after = tokens[cue.last] if cue.last < len(tokens) else None
        aside = after is None or (after.is_punct and after.lower not in {"-"})
        if m.last <= cue.first <= m.last + 2 and (such or aside):
            return AS  # «таких мусульман, как вы», «Для православных, как вы, —»
    # «Как бывшему осуждённому, вам...», «Как настоящий патриот, вы...»
    index = m.first - 1
    while index >= 0 and m.first - index <= 4 and _role_word(r, tokens[index]):
        index -= 1
    as_word = index >= 0 and index < m.first - 1 and r.has(tokens[index], "as")
    compared = index > 0 and tokens[index - 1].lower in {"так", "такой", "также", "же"}
    if as_word and r.addressed and not compared:
        return AS
    # «Православные знакомства рядом с вами», «Одинокие лесбиянки рядом с вами»
    if r.cues("near_you") and r.cues("dating"):
        return AS
    return None


def _role_word(r: _Reading, token: Token) -> bool:
    """What may stand between «как» and the group: «бывшему», «человеку с», «для»."""
    return (
        "ADJ" in token.pos
        or r.has(token, "person")
        or token.lower in {"для", "с", "со", "на", "без"}
    )


# -- vetoes -----------------------------------------------------------------------------
def _topic(r: _Reading) -> bool:
    """«вопросы о диабете», «статья про долги»: the word names a topic."""
    m, tokens = r.match, r.tokens
    return (
        m.first >= 2
        and r.has(tokens[m.first - 1], "topic")
        and "NOUN" in tokens[m.first - 2].pos
        and not r.has(tokens[m.first - 2], "holder")
    )


def _ours(r: _Reading) -> bool:
    """«с рождением нашего нового магазина»: the word is the sender's own."""
    after = r.tokens[r.match.last] if r.match.last < len(r.tokens) else None
    if after is None or "ADP" in r.tokens[r.match.last - 1].pos:
        return False  # «голосовали за нашего кандидата»: the reader's vote
    return after.lemma == "наш"


def _supposed(r: _Reading) -> bool:
    """«Если вы соблюдаете пост», «Если вы или ваши близкие...»: a supposition."""
    cue = r.before("hypothetical")
    return cue is not None and not any(
        t.is_punct and t.lower not in {"-", "«", "»", '"'}
        for t in r.tokens[cue.last : r.match.first]
    )


def _third_party(r: _Reading) -> bool:
    """«Подруга ждёт ребёнка?», «Знаете кого-то, кто выходит на свободу?», «людям с
    астмой»: the word is said of someone other than the reader."""
    m, tokens = r.match, r.tokens
    condolence = any(r.has(t, "condolence") for t in tokens[m.first : m.last])
    if condolence and any(r.has(t, "third_party") for t in tokens[m.last : m.last + 2]):
        return True  # «Выразите соболезнования близким»
    start = m.first
    while start > 0 and r.clause(start - 1, start):
        start -= 1
    if _relative_of_other(r, start) or _helped_other(r):
        return True
    for index in range(start, m.first):
        token = tokens[index]
        if not r.has(token, "third_party"):
            continue
        owned = index > 0 and "2per" in tokens[index - 1].tags
        birth = any(r.has(t, "birth") for t in tokens[m.first : m.last])
        household = token.lemma == "семья" and m.entry.category in {"religion", "ethnicity"}
        if owned and (m.entry.category == "bereavement" or birth or household):
            continue  # «вашей мамы не стало», «Ваша дочка появилась», «Ваша семья постится»
        if "nomn" in token.tags or token.lemma in {"кто", "кто-то", "кто-нибудь"}:
            return True
        if index + 1 < len(tokens) and tokens[index + 1].lower in PEOPLE_WITH:
            return index + 2 >= m.first or index + 3 >= m.first  # «людям с астмой»
    return False


def _relative_of_other(r: _Reading, start: int) -> bool:
    """«подарок коллеге, которая ждёт малыша»: a relative clause about a third party
    named just before its comma."""
    tokens = r.tokens
    words = [t for t in tokens[max(0, start - 5) : r.match.first] if t.is_alpha]
    heads = [i for i, t in enumerate(words) if t.lemma in {"который", "кто"}]
    if not heads:
        return False
    before = words[: heads[-1]]
    return any(r.has(t, "third_party") for t in before[-2:])


def _helped_other(r: _Reading) -> bool:
    """«Помогите близкому справиться с зависимостью», «Поддержите подругу в трудное
    время»: an imperative whose object is someone else; the rest is about them."""
    tokens = r.tokens
    for index in range(min(r.match.first, len(tokens) - 1)):
        token = tokens[index]
        if "impr" in token.tags and "VERB" in token.pos:
            after = tokens[index + 1]
            if r.has(after, "third_party") and "nomn" not in after.tags:
                return True
    return False


def _carried_by_product(r: _Reading) -> bool:
    """«Открытки с соболезнованиями», «книга о диабете»: a product carries the word."""
    m, tokens = r.match, r.tokens
    if any("2per" in t.tags for t in tokens[m.first : m.last]):
        return False  # «продукты с вашей исторической родины»: the reader's own
    if m.first >= 2 and tokens[m.first - 1].lower in PREPOSITIONS:
        return r.has(tokens[m.first - 2], "attributive")
    return False


# -- constructions addressee.py does not know --------------------------------------------
def _said_to_reader(r: _Reading, cues: frozenset[str]) -> str | None:
    """The first construction of READINGS (or CUED_READINGS) that the sentence has."""
    kind = r.match.entry.kind
    inside = r.tokens[r.match.first : r.match.last]
    if kind != "goods" and any("2per" in t.tags and "PRON" in t.pos for t in inside):
        return SUBJECT  # the phrase names the reader: «вас сократили»
    table = CUED_READINGS if kind == "cued" else READINGS
    for kinds, test, reading in table:
        if kind in kinds and test(r):
            return reading
    return None


def _condolence_word(r: _Reading) -> bool:
    """«Примите наши соболезнования», «Мы скорбим вместе с вами»."""
    inside = r.tokens[r.match.first : r.match.last]
    if not any(r.has(t, "condolence") for t in inside):
        return False
    if r.match.entry.kind == "cued":
        return not _carried_by_product(r)
    return r.addressed


def _homeland(r: _Reading) -> bool:
    """«Скучаете по родному Баку?», «Вкус родного Кавказа к вашему столу»."""
    m, tokens = r.match, r.tokens
    return (
        r.has(tokens[m.first], "homeland")
        and m.last < len(tokens)
        and tokens[m.last].text[:1].isupper()
        and (r.addressed or _exclaimed(r))
    )


def _at_reader(r: _Reading) -> bool:
    """«диабет у вас»."""
    m, tokens = r.match, r.tokens
    return (
        m.last + 1 < len(tokens)
        and tokens[m.last].lower == "у"
        and "2per" in tokens[m.last + 1].tags
    )


def _after_event(r: _Reading) -> bool:
    """«После развода вам нужен новый старт»: the reader's life after the event."""
    after = r.before("after", within=1) or r.has(r.tokens[r.match.first], "after")
    return bool(after) and r.addressed


def _dear(r: _Reading) -> bool:
    """«Дорогие ветераны», «Уважаемые будущие мамы»."""
    return r.before("dear", within=1) is not None and r.match.first <= 2


def _congratulated_on(r: _Reading) -> bool:
    """«Поздравляем с новорождённым!», not «с рождением нашего магазина»."""
    m, tokens = r.match, r.tokens
    cue = r.before("congratulation", within=1)
    if cue is None or cue.last == m.first:
        return False
    ours = m.last < len(tokens) and r.has(tokens[m.last], "owner")
    between = tokens[cue.last : m.first]
    return not ours and all(
        t.lower in {"с", "со"} or ("2per" in t.tags and "PRON" in t.pos) for t in between
    )


def _dash_identity(r: _Reading) -> bool:
    """«Вы — татарин?»."""
    m, tokens = r.match, r.tokens
    return (
        m.first >= 2
        and tokens[m.first - 1].lower in {"—", "-", "–"}
        and "2per" in tokens[m.first - 2].tags
        and "nomn" in tokens[m.first - 2].tags
    )


def _because_of(r: _Reading) -> bool:
    """«Не можете найти работу из-за судимости?»."""
    return r.before("because_of", within=0) is not None and _reader_acts(r)


ALL = frozenset({"term", "identity", "goods", "cued"})
STATES = frozenset({"term", "identity"})
TERMS = frozenset({"term"})
GOODS = frozenset({"goods"})
CUED_READINGS = (
    (ALL, _condolence_word, CONDOLENCE),
    (ALL, lambda r: r.match.entry.category == "weight" and _weight_change(r), SUBJECT),
    (ALL, _homeland, SUBJECT),
)
READINGS = (
    (ALL, _at_reader, SUBJECT),
    (ALL, _condolence_word, CONDOLENCE),
    (STATES, _after_event, SUBJECT),
    (ALL, _dear, AS),
    (ALL, lambda r: _held_by_reader(r), POSSESSIVE),  # «Ваш рецепт на кветиапин»
    (TERMS, lambda r: _for_you(r), POSSESSIVE),  # «Золофт для вас уже на складе»
    (ALL, _congratulated_on, CONGRATULATION),
    (ALL, lambda r: r.before("welcome") is not None, CONGRATULATION),  # «Добро пожаловать в»
    (ALL, lambda r: r.before("thanks", within=1) is not None, POSSESSIVE),  # «Спасибо за»
    (STATES, lambda r: r.before("we_know") is not None, SUBJECT),  # «Мы знаем, что»
    (ALL, lambda r: r.before("reminder") is not None, POSSESSIVE),  # «Напоминаем о записи»
    (GOODS, lambda r: bool(r.cues("restock")), POSSESSIVE),  # «Пора пополнить запас»
    (ALL, lambda r: _greeting(r), CONGRATULATION),  # «Светлой Пасхи вам»
    (ALL, lambda r: _observed(r), SUBJECT),  # «Готовитесь к шаббату?»
    (ALL, lambda r: _in_readers_order(r), POSSESSIVE),  # «Мы добавили ... в вашу коробку»
    (STATES, lambda r: _granted(r), SUBJECT),  # «Вам одобрена отсрочка платежа»
    (STATES, _dash_identity, SUBJECT),
    (STATES, lambda r: _share(r), SUBJECT),  # «вы на 38% ашкенази»
    (STATES, _because_of, SUBJECT),
    (ALL, lambda r: _wished(r), CONGRATULATION),  # «Желаем скорейшего выздоровления»
    (ALL, lambda r: _elliptic_congratulation(r), CONGRATULATION),  # «С рождением сына вас!»
    (STATES, lambda r: _countdown(r), SUBJECT),  # «До встречи с малышом осталось три недели»
    (STATES, lambda r: _past_of_reader(r), SUBJECT),  # «Вы вступили в профсоюз»
    (STATES, lambda r: bool(r.cues("praise")), SUBJECT),  # «Месяц без алкоголя: вы молодец»
    (STATES, lambda r: _asked_after(r), QUESTION),  # «Как прошла подсадка эмбрионов?»
    (STATES, lambda r: _hard_for_reader(r), QUESTION),  # «Трудно найти работу после колонии?»
)


def _wished(r: _Reading) -> bool:
    """«Желаем вам скорейшего выздоровления», «Желаем лёгких родов»: a wish for the
    reader's own state."""
    cue = r.before("wish_verb", within=3)
    return cue is not None and r.clause(cue.last, r.match.first)


def _elliptic_congratulation(r: _Reading) -> bool:
    """«С рождением сына вас!», «С пополнением, Ирина!», «С праздником Курбан-байрам!»:
    a congratulation with its verb left out, so a sentence with no verb at all."""
    words = [t for t in r.tokens if t.is_alpha]
    if not words or words[0].lower not in {"с", "со"} or r.match.first > 3:
        return False
    if any("VERB" in t.pos and "impr" not in t.tags for t in words[1:]):
        return False
    head = r.tokens[: r.match.first]
    return all(
        t.lower in {"с", "со"} or "ADJ" in t.pos or r.has(t, "holiday") or not t.is_alpha
        for t in head
    )


def _countdown(r: _Reading) -> bool:
    """«До родов осталось три недели», «До встречи с малышом — считанные дни»."""
    m, tokens = r.match, r.tokens
    return m.first >= 1 and tokens[m.first - 1].lower == "до" and bool(r.cues("countdown"))


def _past_of_reader(r: _Reading) -> bool:
    """«Вы вступили в профсоюз», «Ты ходила на митинг»: a past-tense verb whose subject is
    «вы» or «ты», just before the word (a preposition may stand between)."""
    m, tokens = r.match, r.tokens
    index = m.first - 1
    while index >= 0 and tokens[index].lower in PREPOSITIONS | {"в", "во", "на", "к", "ко"}:
        index -= 1
    if index < 0 or "past" not in tokens[index].tags:
        return False
    subject = tokens[max(0, index - 3) : index]
    return any(
        "2per" in t.tags and "nomn" in t.tags and "PRON" in t.pos for t in subject
    ) and r.clause(index, m.first)


def _hard_for_reader(r: _Reading) -> bool:
    """«Трудно найти работу после колонии?», «Не получается уснуть без таблеток?»: a
    question that opens on the reader's difficulty presupposes the state after it."""
    cue = r.before("difficulty")
    words = [t for t in r.tokens if t.is_alpha]
    return (
        cue is not None
        and bool(words)
        and r.tokens[cue.first] is words[0]
        and any(t.lower == "?" for t in r.tokens[r.match.last :])
        and r.clause(cue.last, r.match.first)
    )


def _asked_after(r: _Reading) -> bool:
    """«Как прошла операция?», «Как самочувствие после химии?»: a question that asks how
    the reader's own event went, at the head of the sentence."""
    cue = r.before("how_went", within=4)
    words = [t for t in r.tokens if t.is_alpha]
    return (
        cue is not None
        and bool(words)
        and r.tokens[cue.first] is words[0]
        and any(t.lower == "?" for t in r.tokens[r.match.last :])
    )


def _held_by_reader(r: _Reading) -> bool:
    tokens, index = r.tokens, r.match.first - 1
    if index >= 0 and (
        tokens[index].lower in PREPOSITIONS | {"на", "о", "в", "к", "без", ":", "«", '"'}
    ):
        index -= 1
    if index >= 0 and tokens[index].lower == ":":
        index -= 1
    if index < 1 or not r.has(tokens[index], "holder"):
        return False
    return "2per" in tokens[index - 1].tags and "POSS" in tokens[index - 1].tags


def _for_you(r: _Reading) -> bool:
    rest = r.tokens[r.match.last : r.match.last + 2]
    return len(rest) == 2 and rest[0].lower == "для" and "2per" in rest[1].tags


def _weight_change(r: _Reading) -> bool:
    tokens, first = r.tokens, r.match.first
    amount = tokens[first - 1] if first >= 1 else None
    if amount is None or not (
        amount.lower.replace(",", "").isdigit()
        or "NUM" in amount.pos
        or amount.lower in {"пару", "пара", "несколько"}
    ):
        return False
    verb = any(r.has(t, "weight_verb") for t in tokens[max(0, first - 4) : first - 1])
    return verb and r.addressed


def _greeting(r: _Reading) -> bool:
    """A holiday wish at the head of a sentence said to the reader: «Светлой Пасхи вам»,
    «С Рамаданом вас»."""
    if r.match.entry.category != "religion" or not r.addressed:
        return False
    head = [t for t in r.tokens[: r.match.first] if t.is_alpha]
    wished = bool(head) and head[0].lower in {"с", "со"}
    if wished:
        head = head[1:]
    # «Благословенного вам месяца Рамадан!»: the reader and «месяц», «праздник» may stand
    # among the wish's adjectives
    head = [t for t in head if not ("2per" in t.tags or r.has(t, "holiday"))]
    if len(head) > 2 or not all("ADJ" in t.pos for t in head):
        return False
    inside = r.tokens[r.match.first : r.match.last]
    return wished or any(r.has(t, "wish") for t in (*head, *inside))


def _observed(r: _Reading) -> bool:
    """A religious observance the reader keeps: a 2nd-person verb such as «готовиться»,
    «соблюдать», «держать» just before it."""
    if r.match.entry.category != "religion":
        return False
    first = max(0, r.match.first - 3)
    for index in range(r.match.first - 1, first - 1, -1):
        token = r.tokens[index]
        said_by_you = "past" in token.tags and any(
            "2per" in t.tags and "nomn" in t.tags for t in r.tokens[max(0, index - 2) : index]
        )
        if ("2per" in token.tags or said_by_you) and "VERB" in token.pos:
            return r.has(token, "observance")
        if not (token.lower in PREPOSITIONS or token.lower in {"к", "ко", "в", "на"}):
            return False
    return False


def _in_readers_order(r: _Reading) -> bool:
    """The item is put into the reader's order, box or basket, by the sender."""
    m, tokens = r.match, r.tokens
    head = next((t for t in tokens if t.is_alpha), None)
    if head is None or "impr" in head.tags:
        return False  # «Добавьте ... в корзину» invites; «Мы добавили ... в вашу» tells
    for index in range(m.last, min(len(tokens) - 1, m.last + 4)):
        token = tokens[index]
        if "2per" in token.tags and "POSS" in token.tags:
            rest = tokens[index + 1 : index + 3]
            return any(r.has(t, "order") for t in rest) and r.clause(m.last, index)
    return False


def _share(r: _Reading) -> bool:
    """«вы на 38% ашкенази», «Ваш результат: 42% еврейского происхождения»: a share of
    an origin, said to the reader."""
    tokens = r.tokens
    index = r.match.first - 1
    while index >= 0 and "ADJ" in tokens[index].pos:
        index -= 1
    while index >= 0 and tokens[index].lower in {"на", "примерно", "около", "почти"}:
        index -= 1
    if index < 1 or tokens[index].lower not in {"%", "процент", "процентов", "процента"}:
        return False
    return tokens[index - 1].lower.replace(",", "").isdigit() and r.addressed


def _granted(r: _Reading) -> bool:
    before = r.tokens[max(0, r.match.first - 3) : r.match.first]
    return any("2per" in t.tags and "datv" in t.tags for t in before) and any(
        r.has(t, "granted") for t in before
    )


def _reader_acts(r: _Reading) -> bool:
    return any("2per" in t.tags and "VERB" in t.pos for t in r.tokens[: r.match.first])


def _late(r: _Reading, grammar: Grammar) -> str | None:
    """An imperative anywhere in the sentence that acts on the reader's state:
    «Не дайте псориазу испортить вам лето», «Подготовьте детскую до третьего триместра»."""
    m, tokens = r.match, r.tokens
    if m.entry.kind not in {"term"}:
        return None
    following = tokens[m.last] if m.last < len(tokens) else None
    if following is not None and r.has(following, "attributive"):
        return None
    if any(r.has(t, "audience") for t in tokens[max(0, m.first - 3) : m.first]):
        return None
    if noun_phrase_owner(tokens, m.first, grammar) == "other":
        return None  # «наш диабетический клуб»
    for token in tokens:
        if "impr" in token.tags and "VERB" in token.pos and not r.has(token, "activity"):
            return IMPERATIVE
    suggestion = r.before("suggest")
    if suggestion is not None:
        return IMPERATIVE  # «Пора подумать о выписке из роддома»
    return None


# -- a partner of the same sex as the reader ---------------------------------------------
def _partner_word(r: _Reading) -> bool:
    token = r.tokens[r.match.first]
    return r.has(token, "partner_male") or r.has(token, "partner_female")


def _same_sex_partner(r: _Reading) -> str | None:
    """«для вас и вашего парня, Дмитрий»: the reader's partner and the reader, named in
    the same sentence, are of the same sex."""
    m, tokens = r.match, r.tokens
    before = tokens[max(0, m.first - 2) : m.first]
    if not any("2per" in t.tags or t.lemma == "свой" for t in before):
        return None  # «вашего парня», «своего мужа», «Вы с партнёршей»
    partner = "masc" if r.has(tokens[m.first], "partner_male") else "femn"
    for index, token in enumerate(tokens):
        after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        first = all(not t.is_alpha for t in tokens[:index])
        vocative = (index > 0 and tokens[index - 1].lower == ",") or (first and after == ",")
        if vocative and "Name" in token.tags and "nomn" in token.tags and token.text[:1].isupper():
            return POSSESSIVE if partner in token.tags else None
    return None
