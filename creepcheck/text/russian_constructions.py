"""Russian constructions addressee.py does not know, each one a way the copy ties a
sensitive word to the reader («Желаем скорейшего выздоровления», «Вам одобрена
отсрочка»): `READINGS` and `CUED_READINGS` list them for creepcheck.text.russian."""

from __future__ import annotations

from collections.abc import Sequence

from creepcheck.text.document import Token
from creepcheck.text.grammar import (
    AS,
    CONDOLENCE,
    CONGRATULATION,
    IMPERATIVE,
    POSSESSIVE,
    QUESTION,
    SUBJECT,
    Grammar,
    noun_phrase_owner,
)
from creepcheck.text.russian_reading import PREPOSITIONS, MatchReading, opens


# -- constructions addressee.py does not know --------------------------------------------
def said_to_reader(r: MatchReading, cues: frozenset[str]) -> str | None:
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


def _condolence_word(r: MatchReading) -> bool:
    """«Примите наши соболезнования», «Мы скорбим вместе с вами»."""
    inside = r.tokens[r.match.first : r.match.last]
    if not any(r.has(t, "condolence") for t in inside):
        return False
    if r.match.entry.kind == "cued":
        return not carried_by_product(r) and _offered(r)
    return r.addressed


def _offered(r: MatchReading) -> bool:
    """Someone offers the condolence: the sender («Соболезнуем», «Наши соболезнования»),
    to the reader («вам», «Елена»), or a sentence with no verb at all («Искренние
    соболезнования.», «С соболезнованиями, ваш магазин»); not «Соболезнования можно
    оставить в книге памяти»."""
    tokens = r.tokens
    if r.addressed or r.imperatives:
        return True
    if any("1per" in t.tags or r.has(t, "first_person") for t in tokens):
        return True
    return not any(t.tags & {"past", "pres", "futr", "INFN"} or "PRED" in t.tags for t in tokens)


def _homeland(r: MatchReading) -> bool:
    """«Скучаете по родному Баку?», «Вкус родного Кавказа к вашему столу»."""
    m, tokens = r.match, r.tokens
    return (
        r.has(tokens[m.first], "homeland")
        and m.last < len(tokens)
        and tokens[m.last].text[:1].isupper()
        and (r.addressed or exclaimed(r))
    )


def _at_reader(r: MatchReading) -> bool:
    """«диабет у вас»."""
    m, tokens = r.match, r.tokens
    return (
        m.last + 1 < len(tokens)
        and tokens[m.last].lower == "у"
        and "2per" in tokens[m.last + 1].tags
    )


def _after_event(r: MatchReading) -> bool:
    """«После развода вам нужен новый старт»: the reader's life after the event."""
    after = r.before("after", within=1) or r.has(r.tokens[r.match.first], "after")
    return bool(after) and r.addressed


def dear(r: MatchReading) -> bool:
    """«Дорогие ветераны», «Уважаемые будущие мамы»."""
    return r.before("dear", within=1) is not None and r.match.first <= 2


def _called(r: MatchReading) -> bool:
    """The reader is called by the word: «Привет, гипертоник!», «Будущая мама, эта неделя
    для тебя»: only greetings before it, a comma or «!» after it, and a greeting or a
    sentence that speaks to the reader around it (not «Диабет, астма: скидки на тонометры»)."""
    m, tokens = r.match, r.tokens
    if m.last >= len(tokens) or tokens[m.last].lower not in {",", "!"}:
        return False
    if not opens(tokens, m.first):
        return False
    greeted = any(t.is_alpha for t in tokens[: m.first])
    return greeted or any("2per" in t.tags for t in tokens[m.last :]) or bool(r.imperatives)


def _congratulated_on(r: MatchReading) -> bool:
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


def _dash_identity(r: MatchReading) -> bool:
    """«Вы — татарин?»."""
    m, tokens = r.match, r.tokens
    return (
        m.first >= 2
        and tokens[m.first - 1].lower in {"—", "-", "–"}
        and "2per" in tokens[m.first - 2].tags
        and "nomn" in tokens[m.first - 2].tags
    )


def _because_of(r: MatchReading) -> bool:
    """«Не можете найти работу из-за судимости?»."""
    return r.before("because_of", within=0) is not None and _reader_acts(r)


ALL = frozenset({"term", "identity", "goods", "cued"})
STATES = frozenset({"term", "identity"})
TERMS = frozenset({"term"})
GOODS = frozenset({"goods"})
CUED_READINGS = (
    (ALL, _condolence_word, CONDOLENCE),
    (ALL, lambda r: _hard_for_reader(r), QUESTION),  # «Тяжело без мамы?»
    (ALL, lambda r: r.match.entry.category == "weight" and _weight_change(r), SUBJECT),
    (ALL, _homeland, SUBJECT),
    (ALL, lambda r: _homesick(r), SUBJECT),
)
READINGS = (
    (ALL, _at_reader, SUBJECT),
    (ALL, _condolence_word, CONDOLENCE),
    (STATES, _after_event, SUBJECT),
    (ALL, dear, AS),
    (STATES, _called, AS),  # «Привет, гипертоник!»
    (ALL, lambda r: _held_by_reader(r), POSSESSIVE),  # «Ваш рецепт на кветиапин»
    (TERMS, lambda r: _for_you(r), POSSESSIVE),  # «Золофт для вас уже на складе»
    (ALL, _congratulated_on, CONGRATULATION),
    (ALL, lambda r: r.before("welcome") is not None, CONGRATULATION),  # «Добро пожаловать в»
    (ALL, lambda r: _thanked_for(r), POSSESSIVE),  # «Спасибо, что пришли на митинг»
    (STATES, lambda r: _known(r), SUBJECT),  # «Мы знаем, что», «Понимаем, что»
    (ALL, lambda r: r.before("reminder") is not None, POSSESSIVE),  # «Напоминаем о записи»
    (GOODS, lambda r: bool(r.cues("restock")), POSSESSIVE),  # «Пора пополнить запас»
    (GOODS, lambda r: _used_by_reader(r), SUBJECT),  # «Носите хиджаб?»
    (GOODS, lambda r: _asked_about_thing(r), QUESTION),  # «Протез уже натирает?»
    (ALL, lambda r: _greeting(r), CONGRATULATION),  # «Светлой Пасхи вам»
    (ALL, lambda r: _observed(r), SUBJECT),  # «Готовитесь к шаббату?»
    (ALL, lambda r: _in_readers_order(r), POSSESSIVE),  # «Мы добавили ... в вашу коробку»
    (STATES, lambda r: _granted(r), SUBJECT),  # «Вам одобрена отсрочка платежа»
    (STATES, lambda r: _awaits(r), SUBJECT),  # «Вас ждёт пополнение в семье»
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


def _known(r: MatchReading) -> bool:
    """The sender says it knows the state: «Понимаем, что сейчас с деньгами туго»; not
    of «многим нашим клиентам» or «вашей подруге», who hold it instead."""
    if r.before("we_know") is None:
        return False
    inside = range(r.match.first, r.match.last)
    return not any(
        r.has(t, "third_party") or r.has(t, "customer") or t.lemma in MANY
        for i, t in enumerate(r.tokens)
        if i not in inside
    )


MANY = frozenset({"многие", "многий", "много", "все", "весь", "каждый", "некоторые", "кто-то"})


def _thanked_for(r: MatchReading) -> bool:
    """«Спасибо за поддержку партии», «Спасибо, что пришли на митинг»: thanks for what the
    reader did, in the clause the thanks open."""
    cue = r.before("thanks", within=5)
    return cue is not None and (cue.last == r.match.first or r.clause(cue.last, r.match.first))


def _used_by_reader(r: MatchReading) -> bool:
    """«Носите хиджаб?», «Пользуетесь слуховым аппаратом?»: a 2nd-person verb of using or
    wearing right before the thing: the reader's own."""
    before = r.tokens[max(0, r.match.first - 2) : r.match.first]
    return any("2per" in t.tags and r.has(t, "use_verb") for t in before)


def _wished(r: MatchReading) -> bool:
    """«Желаем вам скорейшего выздоровления», «Желаем лёгких родов»: a wish for the
    reader's own state."""
    cue = r.before("wish_verb", within=3)
    return cue is not None and r.clause(cue.last, r.match.first)


def _elliptic_congratulation(r: MatchReading) -> bool:
    """«С рождением сына вас!», «С пополнением, Ирина!», «С праздником Курбан-байрам!»,
    «Анна, с Прайдом вас!»: a congratulation with its verb left out, so a sentence with
    no verb at all; the reader's name may come first."""
    opening = _vocative_end(r.tokens)
    words = [t for t in r.tokens[opening:] if t.is_alpha]
    if not words or words[0].lower not in {"с", "со"} or r.match.first - opening > 3:
        return False
    if any("VERB" in t.pos and "impr" not in t.tags for t in words[1:]):
        return False
    head = r.tokens[opening : r.match.first]
    return all(
        t.lower in {"с", "со"} or "ADJ" in t.pos or r.has(t, "holiday") or not t.is_alpha
        for t in head
    )


def _vocative_end(tokens: Sequence[Token]) -> int:
    """Where a sentence goes on after the name it opens with («Анна, ...», «Анна
    Петровна, ...»); 0 when it opens with no name."""
    for index, token in enumerate(tokens[:3]):
        if token.lower == "," and index:
            return index + 1
        if not (token.is_alpha and token.text[:1].isupper()):
            return 0
    return 0


def _countdown(r: MatchReading) -> bool:
    """«До родов осталось три недели», «До встречи с малышом — считанные дни»."""
    m, tokens = r.match, r.tokens
    return m.first >= 1 and tokens[m.first - 1].lower == "до" and bool(r.cues("countdown"))


def _past_of_reader(r: MatchReading) -> bool:
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


def _hard_for_reader(r: MatchReading) -> bool:
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


def _asked_after(r: MatchReading) -> bool:
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


def _held_by_reader(r: MatchReading) -> bool:
    tokens, index = r.tokens, r.match.first - 1
    if index >= 0 and (
        tokens[index].lower in PREPOSITIONS | {"на", "о", "в", "к", "без", "под", ":", "«", '"'}
    ):
        index -= 1
    if index >= 0 and tokens[index].lower == ":":
        index -= 1
    if index < 1 or not r.has(tokens[index], "holder"):
        return False
    return "2per" in tokens[index - 1].tags and "POSS" in tokens[index - 1].tags


def _for_you(r: MatchReading) -> bool:
    """«Золофт для вас», «Профсоюзная скидка для вас»: «для вас» within two words after."""
    m, tokens = r.match, r.tokens
    for index in range(m.last, min(len(tokens) - 1, m.last + 2)):
        if tokens[index].lower == "для" and "2per" in tokens[index + 1].tags:
            return r.clause(m.last, index)
    return False


def _homesick(r: MatchReading) -> bool:
    """«Скучаете по родным горам?», «Тоскуете по родному дому?»: a homeland missed, «родной»
    with its noun after a verb of missing, in the reader's voice or a question."""
    m, tokens = r.match, r.tokens
    cue = r.before("homesick", within=0)
    noun = m.last < len(tokens) and "NOUN" in tokens[m.last].pos
    return (
        cue is not None
        and r.has(tokens[m.first], "homeland")
        and noun
        and (r.addressed or exclaimed(r))
    )


def _weight_change(r: MatchReading) -> bool:
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


def _greeting(r: MatchReading) -> bool:
    """A holiday wish at the head of a sentence said to the reader: «Светлой Пасхи вам»,
    «С Рамаданом вас»."""
    if r.match.entry.category != "religion":
        return False
    inside = r.tokens[r.match.first : r.match.last]
    fasting = any(r.has(t, "fasting") for t in inside) and exclaimed(r)
    if not (r.addressed or fasting):
        return False  # «Светлой Пасхи!» to every customer; «Лёгкого поста!» is to one who fasts
    head = [t for t in r.tokens[: r.match.first] if t.is_alpha]
    wished = bool(head) and head[0].lower in {"с", "со"}
    if wished:
        head = head[1:]
    # «Благословенного вам месяца Рамадан!»: the reader and «месяц», «праздник» may stand
    # among the wish's adjectives
    words = head  # «Светлого Курбан-байрама»: «светлый» is a wish and a holiday word both
    head = [t for t in head if not ("2per" in t.tags or r.has(t, "holiday"))]
    if len(head) > 2 or not all("ADJ" in t.pos for t in head):
        return False
    return wished or any(r.has(t, "wish") for t in (*words, *inside))


def _observed(r: MatchReading) -> bool:
    """A religious observance the reader keeps: a 2nd-person verb such as «готовиться»,
    «соблюдать», «держать» just before it."""
    if r.match.entry.category != "religion":
        return False
    first = max(0, r.match.first - 3)
    before = r.tokens[first : r.match.first]
    ready = [t for t in before if t.lemma == "готовый" and "plur" in t.tags]
    if ready and "ADJS" in ready[0].tags and exclaimed(r):
        return True  # «Готовы к Рамадану?»: «вы» left out of a short adjective
    for index in range(r.match.first - 1, first - 1, -1):
        token = r.tokens[index]
        said_by_you = "past" in token.tags and any(
            "2per" in t.tags and "nomn" in t.tags for t in r.tokens[max(0, index - 2) : index]
        )
        if ("2per" in token.tags or said_by_you) and "VERB" in token.pos:
            return r.has(token, "observance")
        if not (token.lower in PREPOSITIONS or token.lower in {"к", "ко", "в", "на"}):
            break
    after = r.tokens[r.match.last : r.match.last + 1]
    return any("2per" in t.tags and "VERB" in t.pos and r.has(t, "observance") for t in after)


def _in_readers_order(r: MatchReading) -> bool:
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


def _share(r: MatchReading) -> bool:
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


def _awaits(r: MatchReading) -> bool:
    """«Вас ждёт пополнение в семье», «Вам предстоит операция»: the event awaits the
    reader, named as the object of «ждать», «предстоять»."""
    before = r.tokens[max(0, r.match.first - 3) : r.match.first]
    reader = any("2per" in t.tags and "PRON" in t.pos for t in before)
    return reader and any(r.has(t, "awaits") for t in before) and r.clause(
        max(0, r.match.first - 3), r.match.first
    )


def _granted(r: MatchReading) -> bool:
    """«Вам одобрена отсрочка», «Вам положена скидка по инвалидности»: granted to the
    reader on the grounds of the word, in its clause."""
    start = max(0, r.match.first - 5)
    before = r.tokens[start : r.match.first]
    return (
        any("2per" in t.tags and "datv" in t.tags for t in before)
        and any(r.has(t, "granted") for t in before)
        and r.clause(start, r.match.first)
    )


def _asked_about_thing(r: MatchReading) -> bool:
    """«Протез уже натирает?», «Тест-полоски заканчиваются?»: a question that opens on the
    thing wearing out or running low takes it as the reader's own (not «Тонометр продаётся
    со скидкой?»)."""
    m, tokens = r.match, r.tokens
    words = [i for i, t in enumerate(tokens) if t.is_alpha]
    if not words or words[0] != m.first:
        return False
    rest = [t for t in tokens[m.last :] if t.is_alpha and not r.has(t, "filler")][:1]
    ends = any(t.lower == "?" for t in tokens[m.last :]) and not any(
        t.lower in {".", "!"} for t in tokens[m.last : -1]
    )
    return bool(rest) and r.has(rest[0], "wears_out") and ends


def _reader_acts(r: MatchReading) -> bool:
    return any("2per" in t.tags and "VERB" in t.pos for t in r.tokens[: r.match.first])


def late(r: MatchReading, grammar: Grammar) -> str | None:
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
    for index in r.imperatives:
        if m.first <= index < m.last and m.entry.category in INVITED:
            continue  # «Подпишите петицию за парк»: an invitation to the act the term names
        if not r.has(tokens[index], "activity"):
            return IMPERATIVE
    suggestion = r.before("suggest")
    if suggestion is not None:
        return IMPERATIVE  # «Пора подумать о выписке из роддома»
    return None


def exclaimed(r: MatchReading) -> bool:
    """A question or an exclamation: «Аист уже в пути?», «Животик растёт по часам!»."""
    return any(t.lower in {"?", "!"} for t in r.tokens[r.match.last :])


def carried_by_product(r: MatchReading) -> bool:
    """«Открытки с соболезнованиями», «книга о диабете»: a product carries the word."""
    m, tokens = r.match, r.tokens
    if any("2per" in t.tags for t in tokens[m.first : m.last]):
        return False  # «продукты с вашей исторической родины»: the reader's own
    before = [t for t in tokens[: m.first] if t.lower not in QUOTES]
    if len(before) >= 2 and before[-1].lower in PREPOSITIONS:
        return r.has(before[-2], "attributive")  # «открыток «С соболезнованиями»»
    return False


# Categories whose acts an imperative invites anyone to («Подпишите петицию», «Вступайте
# в профсоюз»), where «Снимите судимость» or «Закройте просрочки» presuppose the state.
INVITED = frozenset({"political_opinion", "trade_union"})
QUOTES = frozenset({"«", "»", '"', "„", "“"})
