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
    IMPERATIVE,
    POSSESSIVE,
    PRESUPPOSED,
    QUESTION,
    Grammar,
)
from creepcheck.text.lexicon import Lexicon
from creepcheck.text.russian_constructions import (
    carried_by_product,
    dear,
    exclaimed,
    late,
    said_to_reader,
)
from creepcheck.text.russian_reading import PEOPLE_WITH, MatchReading, is_name

PARTNER = "sexual_orientation"
STATE_PREPOSITIONS = frozenset({"в", "во", "после", "при", "без"})


def attribute(
    tokens: Sequence[Token],
    match: RawMatch,
    lexicon: Lexicon,
    grammar: Grammar,
    cues: frozenset[str],
) -> str | None:
    """How a Russian sentence ties this match to the reader, or None."""
    r = MatchReading(tokens, match, lexicon)
    if match.entry.category == PARTNER and match.entry.kind == "cued" and _partner_word(r):
        return _same_sex_partner(r)
    group = _addressed_as_group(r)
    if group is not None:
        return group
    ours = _ours(r) and not dear(r)  # «Дорогим вдовам нашего города» is the reader
    if _supposed(r) or _third_party(r) or carried_by_product(r) or _topic(r) or ours:
        return None
    if _any_holder(r):
        return None
    if _quoted_name(tokens, match):
        return None  # «Светлой Памяти»: a shop's name, not a condolence
    if match.entry.kind == "said" or match.entry.presumed:
        spoken = _spoken_to(r) or exclaimed(r) or "addressed" in cues  # or the sentence before
        return PRESUPPOSED if spoken else None
    found = (
        said_to_reader(r, cues)
        or _base(tokens, match, lexicon, grammar, cues)
        or late(r, grammar)
    )
    if found is None and match.entry.category == "bereavement":
        return _bereavement_context(r, cues)
    if found is None and match.entry.category == "divorce" and _kin_lost(r):
        # «Бывший муж больше не указан в вашем полисе»: kin with no owner is the reader's
        return PRESUPPOSED if r.addressed or "addressed" in cues else None
    spoken = found in {QUESTION, IMPERATIVE} or _spoken_to(r) or _memorial_of_one(r, found)
    if found is not None and match.entry.category == "bereavement" and not spoken:
        return None  # «Светлая память героям войны»: a memorial, not a condolence
    if found is None and match.entry.kind in ("term", "identity") and _you_said(r):
        # «Весной вам трудно дышать, а ингалятор всегда с собой»: a state in a sentence
        # told to "you", nobody else's, not supposed, not the sender's range or a topic; a
        # phrase, not a combination of cue groups, which has its own frame («Вас ждёт
        # скидка на кроватки» is no coming baby)
        return PRESUPPOSED if match.entry.words else None
    return found


def _you_said(r: MatchReading) -> bool:
    """The sentence names the reader («вы», «вам», «ваш», a verb of "you" that is not an
    imperative: an offer tells nothing of the reader, «смотрите в нашем кинотеатре»; or
    the reader's name after a comma) and no one else (a third party anywhere, «людям»,
    «в вашем окружении»), and supposes nothing anywhere («Если вы или ваши близкие ...»)."""
    m, tokens = r.match, r.tokens
    if r.cues("hypothetical") or r.cues("in_your_life"):
        return False
    if any(r.has(t, "third_party") for i, t in enumerate(tokens) if not m.first <= i < m.last):
        return False
    return any(
        (
            "2per" in t.tags
            and (bool(t.tags & {"NPRO", "POSS"}) or ("VERB" in t.pos and "impr" not in t.tags))
        )
        or (i > 0 and tokens[i - 1].lower == "," and is_name(t))  # «Уже выбрали роддом, Марина?»
        for i, t in enumerate(tokens)
    )



def _bereavement_context(r: MatchReading, cues: frozenset[str]) -> str | None:
    """A death word the grammar does not tie to the reader, in a sentence that does: a
    condolence beside it («Нам так жаль, что его больше нет»), kin with no owner («Годовщина
    ухода мамы»), or a sentence said to the reader («Мы закрыли аккаунт покойного и
    перевели бонусы вам»): in a message to one person the death is in their family."""
    if r.match.entry.kind not in {"term", "said"}:
        return None
    if "condolence" in cues:
        return None if _the_dead_as_many(r) else CONDOLENCE
    if _kin_lost(r):
        return POSSESSIVE
    return PRESUPPOSED if r.addressed or "addressed" in cues else None


def _the_dead_as_many(r: MatchReading) -> bool:
    """«Светлая память погибшим», «павшим героям»: the word names the dead as a group
    (a participle or adjective used as a noun, or a plural), as memorials do."""
    m, tokens = r.match, r.tokens
    if m.last - m.first == 1 and tokens[m.first].tags & {"PRTF", "ADJF"}:
        return True  # the match is the dead: «погибшим», «ушедшим»
    after = tokens[m.last] if m.last < len(tokens) else None
    return (
        m.last - m.first > 1
        and after is not None
        and ("plur" in after.tags or bool(after.tags & {"PRTF", "ADJF"}))
    )


def _kin_lost(r: MatchReading) -> bool:
    """«Годовщина ухода мамы», «После смерти мужа»: a loss of kin named with no owner. In
    a message to one person, «мама» with no «наша», «его» or name is the reader's own."""
    m, tokens = r.match, r.tokens
    span = [i for i in range(m.first, min(len(tokens), m.last + 4)) if r.clause(m.first, i)]
    for index in span:
        if not r.has(tokens[index], "kin") or "plur" in tokens[index].tags:
            continue
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        owned = before is not None and (r.has(before, "owner") or "POSS" in before.tags)
        named = after is not None and is_name(after)  # «смерть мамы Ивана»
        return not owned and not named and "2per" not in (before.tags if before else ())
    return False


def _memorial_of_one(r: MatchReading, found: str | None) -> bool:
    """«Вечная ему память» after «Мы помним вашего мужа», «Светлая память Николаю
    Петровичу»: a condolence for one person, not a memorial to many («Светлая память
    героям войны», «павшим»)."""
    after = r.tokens[r.match.last] if r.match.last < len(r.tokens) else None
    one = after is None or after.is_punct or after.lemma in {"он", "она"}
    named = after is not None and bool(after.tags & {"Name", "Surn", "Patr", "2per"})
    return found == CONDOLENCE and not _the_dead_as_many(r) and (one or named)


def _spoken_to(r: MatchReading) -> bool:
    """The sentence speaks to someone: «вы», «ваш», an imperative or a name after a comma,
    or a name in Latin letters set off first, as a profile's name prints ("Ana, ...")."""
    words = [t for t in r.tokens if not t.is_punct or t.lower == ","]
    latin_name = (
        len(words) > 2
        and words[1].lower == ","
        and words[0].is_alpha
        and words[0].text.isascii()
        and words[0].text[:1].isupper()
    )
    return r.addressed or bool(r.imperatives) or latin_name


# -- the reader addressed as one of a group ----------------------------------------------
def _addressed_as_group(r: MatchReading) -> str | None:
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
    if _offered_to(r):
        return AS
    return None


def _from_place(r: MatchReading, index: int) -> bool:
    """«из Дагестана»: an origin named after the group."""
    tokens = r.tokens
    return (
        index + 1 < len(tokens)
        and tokens[index].lower in {"из", "с"}
        and tokens[index + 1].text[:1].isupper()
    )


PRODUCT_RANGES = frozenset({"pregnancy", "health"})  # «для будущих мам», «для диабетиков»
OFFER_MARKS = frozenset({"\u2014", "\u2013", ":"})
DETERMINERS = frozenset({"весь", "все", "наш", "дорогой", "уважаемый", "милый"})
FINITE = frozenset({"past", "pres", "futr", "impr", "INFN"})


def _offered_to(r: MatchReading) -> bool:
    """«Прихожанам храма — скидка», «Геям и лесбиянкам — билеты», «Товарищам по профсоюзу:
    ...»: a group in the dative at the head of the sentence, set off by a dash or a colon,
    is whom the offer is for, and in a message to one person, the reader."""
    tokens = r.tokens
    words = [i for i, t in enumerate(tokens) if t.is_alpha]
    if not words:
        return False
    while len(words) > 1 and (
        tokens[words[0]].lemma in DETERMINERS or "ADVB" in tokens[words[0]].tags
    ):
        words = words[1:]  # «Всем постящимся», «Дорогим прихожанам», «Недавно овдовевшим»
    first = words[0]
    head = tokens[first]  # «Нашим незрячим» opens the dative group too
    # «Будущей маме»: an adjective whose case its noun settles
    dative = "datv" in head.tags or (
        "ADJF" in head.tags and len(words) > 1 and "datv" in tokens[words[1]].tags
    )
    # «Братьям-армянам», «Коллегам по забастовке», «Сёстрам по вере»: the reader's
    # fellows in it; not «Маме-диабетику», a gift for someone else
    joined = first + 1 < len(tokens) and tokens[first + 1].lower in {"-", "по"}
    apposed = joined and r.has(head, "peer")
    someone_else = r.has(head, "third_party") and first < r.match.first and not apposed
    if head.lower == "для" and len(words) > 1 and r.match.first == words[1]:
        # «Для православных — постное меню»; not «для будущих мам», a product range (SPEC)
        if r.match.entry.kind == "goods" or r.match.entry.category in PRODUCT_RANGES:
            return False
    elif not dative or someone_else or "2per" in head.tags:
        return False  # «Маме — тонометр к юбилею»: a gift for someone else
    elif r.match.first == first and r.has(head, "customer") and not _from_place(r, first + 1):
        return False  # «Соотечественникам за рубежом»: the sender's own public, no origin
    mark = next(
        (i for i in range(r.match.last, len(tokens)) if tokens[i].text in OFFER_MARKS), None
    )
    if mark is None:
        return False
    if any(_finite(tokens[i]) for i in range(words[0], mark)):
        return False
    if any(r.has(tokens[i], "everyday_groups") for i in range(first, mark)):
        return False  # «Будущим мамам и пенсионерам — скидка»: a standing policy
    inside = range(r.match.first, r.match.last)
    return not any(  # «Беременной жене — букет»: the group is someone else's
        r.has(tokens[i], "third_party") and i not in inside and not apposed
        for i in range(first, mark)
    )


def _finite(token: Token) -> bool:
    """A verb that makes a clause; not a participle («Соблюдающим кашрут», «постящихся»)."""
    return bool(token.tags & FINITE) and not token.tags & {"PRTF", "PRTS", "GRND"}


def _role_word(r: MatchReading, token: Token) -> bool:
    """What may stand between «как» and the group: «бывшему», «человеку с», «для»."""
    return (
        "ADJ" in token.pos
        or r.has(token, "person")
        or token.lower in {"для", "с", "со", "на", "без"}
    )


# -- vetoes -----------------------------------------------------------------------------
def _topic(r: MatchReading) -> bool:
    """«вопросы о диабете», «статья про долги»: the word names a topic."""
    m, tokens = r.match, r.tokens
    return (
        m.first >= 2
        and r.has(tokens[m.first - 1], "topic")
        and "NOUN" in tokens[m.first - 2].pos
        and not r.has(tokens[m.first - 2], "holder")
    )


def _ours(r: MatchReading) -> bool:
    """«с рождением нашего нового магазина»: the word is the sender's own."""
    after = r.tokens[r.match.last] if r.match.last < len(r.tokens) else None
    if after is None or "ADP" in r.tokens[r.match.last - 1].pos:
        return False  # «голосовали за нашего кандидата»: the reader's vote
    return after.lemma == "наш"


def _supposed(r: MatchReading) -> bool:
    """«Если вы соблюдаете пост», «Если вы или ваши близкие...»: a supposition."""
    if any(c.first >= r.match.last for c in r.cues("alternative")) and exclaimed(r):
        return True  # «Ждёте малыша или уже стали родителями?»: every stage, no one's
    cue = r.before("hypothetical")
    return cue is not None and not any(
        t.is_punct and t.lower not in {"-", "«", "»", '"'}
        for t in r.tokens[cue.last : r.match.first]
    )


def _third_party(r: MatchReading) -> bool:
    """«Подруга ждёт ребёнка?», «Знаете кого-то, кто выходит на свободу?», «людям с
    астмой»: the word is said of someone other than the reader."""
    m, tokens = r.match, r.tokens
    condolence = any(r.has(t, "condolence") for t in tokens[m.first : m.last])
    if condolence and any(r.has(t, "third_party") for t in tokens[m.last : m.last + 2]):
        return True  # «Выразите соболезнования близким»
    start = m.first
    while start > 0 and r.clause(start - 1, start):
        start -= 1
    if _relative_of_other(r, start) or _helped_other(r) or _held_by_other(r):
        return True
    if _said_of_someone(r, start) or _gift_for(r):
        return True
    for index in range(start, m.first):
        token = tokens[index]
        if not r.has(token, "third_party"):
            continue
        owned = index > 0 and "2per" in tokens[index - 1].tags
        # «Ваша дочка появилась»: the newborn is the reader's child; not «У вашей подруги
        # родился сын», a birth in someone else's family
        birth = r.has(token, "child") and any(r.has(t, "birth") for t in tokens[m.first : m.last])
        household = token.lemma == "семья" and m.entry.category in {"religion", "ethnicity"}
        at = tokens[index - 2 if owned else index - 1].lower if index >= (2 if owned else 1) else ""
        if at == "у" and not (owned and m.entry.category == "bereavement"):
            return True  # «У вашей подруги родился сын?», «У мамы диабет?»
        if owned and (m.entry.category == "bereavement" or birth or household):
            continue  # «вашей мамы не стало», «Ваша дочка появилась», «Ваша семья постится»
        if "nomn" in token.tags or token.lemma in {"кто", "кто-то", "кто-нибудь"}:
            return True
        head = index == start or (owned and index == start + 1)
        if head and token.tags & {"datv", "gent"}:
            return True  # «Дедушке трудно ходить?», «Вашей маме нужен тонометр?»
        if index + 1 < len(tokens) and tokens[index + 1].lower in PEOPLE_WITH:
            return index + 2 >= m.first or index + 3 >= m.first  # «людям с астмой»
        if index + 2 == m.first and tokens[index + 1].lower in STATE_PREPOSITIONS:
            return True  # «поддержать друга в горе», «маму после инсульта»
    return False


def _gift_for(r: MatchReading) -> bool:
    """«подарок будущей маме», «сюрприз для беременной подруги»: the word names whom a gift
    is for, someone other than the reader."""
    tokens = r.tokens
    before = [t for t in tokens[max(0, r.match.first - 2) : r.match.first] if t.lower != "для"]
    if any(r.has(t, "gift") for t in before[-1:]):
        return True
    # «Соберите для неё бокс будущей мамы»: for her, him or them
    near = tokens[max(0, r.match.first - 5) : r.match.first]
    return any(
        a.lower == "для" and b.lower in OTHERS_FOR for a, b in zip(near, near[1:], strict=False)
    )


OTHERS_FOR = frozenset({"неё", "нее", "него", "них"})


def _any_holder(r: MatchReading) -> bool:
    """«для членов любых профсоюзов»: the word names any of a kind, nobody in particular."""
    before = r.tokens[max(0, r.match.first - 2) : r.match.first]
    return any(t.lemma in {"любой", "всякий"} for t in before)


def _said_of_someone(r: MatchReading, start: int) -> bool:
    """«Наша сотрудница Анна ушла в декрет», «Сосед уже бастует»: the word is a verb whose
    subject, earlier in the clause, is a person other than the reader."""
    m, tokens = r.match, r.tokens
    verb = tokens[m.first]
    if "VERB" not in verb.pos or verb.tags & {"2per", "impr", "INFN"}:
        return False
    for index in range(start, m.first):
        token = tokens[index]
        if "nomn" not in token.tags or token.tags & {"2per", "1per"} or "PRON" in token.pos:
            continue
        if index > start and "POSS" in tokens[index - 1].tags and "2per" in tokens[index - 1].tags:
            continue  # «Ваша дочка появилась на свет»: the reader's own, read above
        if "anim" in token.tags or is_name(token):
            return True
    return False


def _held_by_other(r: MatchReading) -> bool:
    """«Бессонница у малыша?», «Диабет у мамы»: «у» and someone else right after the
    word; «Будущим мамам в вашей жизни»: the people the reader knows."""
    m, tokens = r.match, r.tokens
    rest = tokens[m.last : m.last + 2]
    if len(rest) == 2 and rest[0].lower == "у" and "NOUN" in rest[1].pos:
        return "2per" not in rest[1].tags
    return any(m.last <= c.first <= m.last + 1 for c in r.cues("in_your_life"))


def _relative_of_other(r: MatchReading, start: int) -> bool:
    """«подарок коллеге, которая ждёт малыша»: a relative clause about a third party
    named just before its comma."""
    tokens = r.tokens
    words = [t for t in tokens[max(0, start - 5) : r.match.first] if t.is_alpha]
    heads = [i for i, t in enumerate(words) if t.lemma in {"который", "кто"}]
    if not heads:
        return False
    before = words[: heads[-1]]
    return any(r.has(t, "third_party") for t in before[-2:])


def _helped_other(r: MatchReading) -> bool:
    """«Помогите близкому справиться с зависимостью», «Поддержите подругу в трудное
    время»: an imperative whose object is someone else; the rest is about them."""
    tokens = r.tokens
    for index in range(min(r.match.first, len(tokens) - 1)):
        if r.imperative(index):
            after = tokens[index + 1]
            if r.has(after, "third_party") and "nomn" not in after.tags:
                return True
    return False


# -- a partner of the same sex as the reader ---------------------------------------------
def _partner_word(r: MatchReading) -> bool:
    token = r.tokens[r.match.first]
    return r.has(token, "partner_male") or r.has(token, "partner_female")


def _quoted_name(tokens: Sequence[Token], match: RawMatch) -> bool:
    """The match lies inside «...» (read as '"'), a name: a shop, an app, a programme."""
    marks = {'"', "«", "»", "“", "”", "„"}
    opened = sum(t.lower in marks for t in tokens[: match.first]) % 2 == 1
    return opened and any(t.lower in marks for t in tokens[match.last :])


def _same_sex_partner(r: MatchReading) -> str | None:
    """«для вас и вашего парня, Дмитрий»: the reader's partner and the reader, named in
    the same sentence, are of the same sex."""
    m, tokens = r.match, r.tokens
    before = tokens[max(0, m.first - 2) : m.first]
    with_reader = (
        m.first > 0
        and tokens[m.first - 1].lower in PEOPLE_WITH
        and any("2per" in t.tags for t in tokens[: m.first - 1])
    )  # «Отмечаете годовщину с супругом», «Вы с мужем»
    if not with_reader and not any("2per" in t.tags or t.lemma == "свой" for t in before):
        return None  # «вашего парня», «своего мужа», «Вы с партнёршей»
    partner = "masc" if r.has(tokens[m.first], "partner_male") else "femn"
    owner = tokens[m.first - 1] if m.first > 0 else None
    if owner is not None and "POSS" in owner.tags and owner.tags & {"masc", "femn"}:
        partner = "femn" if "femn" in owner.tags else "masc"  # «вашей супруги»: a wife
    for index, token in enumerate(tokens):
        after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
        first = all(not t.is_alpha for t in tokens[:index])
        vocative = (index > 0 and tokens[index - 1].lower == ",") or (first and after == ",")
        if vocative and "Name" in token.tags and "nomn" in token.tags and token.text[:1].isupper():
            return POSSESSIVE if partner in token.tags else None
    return None
