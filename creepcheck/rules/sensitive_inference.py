from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from creepcheck.loaders.field_roles import named_like_content, names_a_thing
from creepcheck.models import NAME_FIELDS, Finding, Severity
from creepcheck.policy.model import Policy
from creepcheck.render import Span
from creepcheck.rules.base import MessageSubject, Option, Rule
from creepcheck.text import Analysis, Sentence, TermMatch
from creepcheck.text.fieldnames import person_field, sensitive_field, states_nothing
from creepcheck.text.grammar import PLACE_WORDS
from creepcheck.text.holders import STANCES

# What each category says about the recipient, completing "Implies the recipient ...".
IMPLIES = {
    "health": "has a health condition",
    "pregnancy": "is pregnant or trying for a baby",
    "sexual_orientation": "has a particular sexual orientation",
    "religion": "follows a particular religion",
    "ethnicity": "belongs to a particular ethnic group",
    "political_opinion": "holds particular political opinions",
    "trade_union": "is a trade-union member",
    "financial_hardship": "is in financial difficulty",
    "criminal_record": "has a criminal record",
    "disability": "has a disability",
    "bereavement": "has been bereaved",
    "divorce": "is separated or divorced",
    "job_loss": "has lost their job",
    "weight": "is trying to lose weight or has a particular body size",
}
# How the copy ties the term to the reader, in plain words; {t} is the matched text.
WHY = {
    "possessive": "it speaks of \u201c{t}\u201d as the reader's own",
    "subject": "it says the reader is or has \u201c{t}\u201d",
    "as": "it addresses the reader as one of a group (\u201c{t}\u201d)",
    "congratulation": "it congratulates the reader on \u201c{t}\u201d",
    "condolence": "it offers the reader condolences (\u201c{t}\u201d)",
    "question": "it asks the reader about \u201c{t}\u201d",
    "imperative": "it tells the reader to deal with \u201c{t}\u201d",
    "presupposed": "it takes for granted that \u201c{t}\u201d is part of the reader's life",
    "purchase": "it names a purchase that reveals it (\u201c{t}\u201d)",
    "inferred": "it prints an inferred value about the person (\u201c{t}\u201d)",
    "trained": "its words (\u201c{t}\u201d) read as the reader's own situation",
    "selected": "it speaks of \u201c{t}\u201d in copy the template writes only where",
    "profile": "it prints a sensitive value from the person's profile (\u201c{t}\u201d)",
}
# Preferred reason when a sentence has several.
PRIORITY = ("inferred", "purchase", "profile", "congratulation", "condolence", "possessive",
            "subject", "as", "question", "imperative", "presupposed", "selected", "trained")


@dataclass(frozen=True)
class Hit:
    category: str
    start: int
    end: int
    text: str
    why: str  # a key of WHY
    sentence: Sentence | None
    basis: str = ""  # for "selected": the field and the value the copy was written for


class SensitiveInference(Rule):
    """The copy reveals a sensitive fact about the recipient.

    What it flags:
        Copy that asserts or implies that the recipient has a sensitive attribute:
        health (conditions, medications, treatments), pregnancy and reproduction,
        sexual orientation, religion, ethnicity, political opinion, trade-union
        membership, financial hardship, criminal record, disability, bereavement, and
        the policy's own categories. It fires on second-person framing ("your
        pregnancy", "as a diabetic, you..."), congratulations or condolences on a
        sensitive event, questions aimed at the reader ("Struggling with debt?"), a
        sensitive purchase recalled by name, a sensitive segment spoken aloud, a
        death told of someone the profile names ("since {{ late_partner }} passed"),
        a partner of the reader's own sex as the profile's `gender` or `sex` gives
        it ("you and your husband" to a man), and copy a template writes only for
        people whose profile holds a sensitive label (`{% if "hindu_household" in
        inferred.segments %}`) that names the label's category to the reader. Where
        the knowledge base holds no term of the category, a trained model reads each
        sentence (with the one before it) as a whole, and the finding names the words
        that carried the reading.

    Why it is creepy:
        A retailer that congratulates a teenager on a pregnancy she has told nobody
        about has disclosed it to whoever opens the mail. Special-category data
        (GDPR Art. 9) needs explicit consent even to be inferred.

    Bad:
        Congratulations on your pregnancy, Jane! / Your blood glucose strips may be
        running low.

    Better:
        Our new maternity range is here. (an announcement that says nothing about
        the reader)

    Options:
        categories: the sensitive categories checked (default: all).
        trained: also read with the trained category model (default: true).

    Not flagged: the same words said of no one in particular or of someone else
    ("Our maternity range is here", "Flu shots available in store", "our pharmacist",
    "for expectant mums", "diabetes awareness week"), what the reader merely does ("You
    subscribed to our baby newsletter"), and the person's own name. Terms come from the
    built-in English and Russian lexicons plus the policy's `categories:`.
    """

    code = "CC201"
    name = "sensitive-inference"
    default_severity = Severity.ERROR
    scopes = ("message",)
    # the copy, and the reader's own sex for "your husband" (`gender`, `sex`, or either
    # among the `attributes` the person gave)
    reads = ("gender", "sex", "attributes")
    summary = "The copy asserts or implies a sensitive attribute of the recipient"
    options = {
        "categories": Option(
            "list[str]", [], "categories to check; empty means every built-in and policy category"
        ),
        "trained": Option(
            "bool", True, "also read each sentence as a whole with the trained category model"
        ),
    }

    def check(self, subject: MessageSubject) -> Iterator[Finding]:
        analysis = subject.analysis
        wanted = set(self.config.get("categories") or ()) or None
        hits = [
            *self._spoken(subject, analysis, wanted),
            *self._recalled(subject, analysis, wanted),
            *_same_sex_partner(subject, analysis, wanted),
            *_selected(subject, analysis, wanted),
            *(self._trained(subject, analysis, wanted) if self.config.get("trained", True) else ()),
        ]
        by_sentence: dict[int, list[Hit]] = {}
        for hit in hits:
            key = hit.sentence.start if hit.sentence is not None else hit.start
            by_sentence.setdefault(key, []).append(hit)
        for key in sorted(by_sentence):
            yield self._finding(subject, analysis, by_sentence[key])

    def _spoken(
        self, subject: MessageSubject, analysis: Analysis, wanted: set[str] | None
    ) -> Iterator[Hit]:
        """Terms the copy says of the reader, outside the person's own name."""
        names = [v for v in subject.rendered.values if _is_name(v)]
        for match in analysis.find_terms(wanted, about_reader=True):
            if not any(v.start < match.end and match.start < v.end for v in names):
                yield _hit(match, match.reader or "subject")

    def _recalled(
        self, subject: MessageSubject, analysis: Analysis, wanted: set[str] | None
    ) -> Iterator[Hit]:
        """Profile values printed into the copy that reveal a sensitive category."""
        policy = subject.run.policy
        for value in subject.rendered.values:
            fields = value.fields
            purchase = any(f.startswith("purchases") for f in fields)
            classes = [c for c in (policy.field_class(f) for f in fields) if c is not None]
            inferred = any(f.startswith("inferred") for f in fields) or any(
                c.inferred for c in classes
            )
            if not (purchase or inferred):
                yield from self._profile_value(subject, analysis, wanted, value)
                continue
            why = "inferred" if inferred else "purchase"
            found = False
            for match in analysis.find_terms(
                wanted, kinds=("term", "goods", "identity"), start=value.start, end=value.end
            ):
                if match.qualifies:
                    continue  # "Greek yogurt": a kind of product, not who bought it
                found = True
                yield _hit(match, why)
            text = subject.rendered.text[value.start : value.end]
            if inferred and not found and any(ch.isalpha() for ch in text):
                for cls in classes:
                    if wanted is None or cls.category in wanted:
                        yield Hit(
                            cls.category,
                            value.start,
                            value.end,
                            text.strip(),
                            why,
                            analysis.sentence_at(value.start),
                        )
                        break

    def _profile_value(
        self, subject: MessageSubject, analysis: Analysis, wanted: set[str] | None, value: Span
    ) -> Iterator[Hit]:
        """A profile field whose printed value is itself a sensitive term of the knowledge
        base (a medication, a clinic, a benefit, a religious meal order): the copy tells
        the reader's secret whatever the sentence around it says."""
        if not value.fields or _is_own_name(value):
            return
        death = _death_of_named(subject, analysis, value)
        if death is not None:
            if wanted is None or death.category in wanted:
                yield death
            return
        if _is_name(value) or _is_copy(subject.rendered.text[value.start : value.end]):
            return
        if _given_to(analysis, value):  # who received: only a stance tells of the giver
            wanted = set(STANCES) if wanted is None else wanted & STANCES
            if not wanted:
                return
        found = False
        thing = _names_a_thing(value, subject.run.policy)
        for match in analysis.find_terms(
            wanted, kinds=("term", "goods", "said"), start=value.start, end=value.end
        ):
            if thing and match.elsewhere:
                continue  # a pick for someone else: "Orthopedic dog bed", "for your sister"
            before = subject.rendered.text[value.start : match.start].split()
            if before and before[-1].lower() in PLACE_WORDS:
                continue  # "the local food bank": a place, not the person's state
            # the value, or the value as the head of the term: "{{ meal }} meal" -> "Kosher meal"
            if value.start <= match.start < value.end and (
                match.end <= value.end or match.kind == "goods"
            ):
                found = True
                yield _hit(match, "profile")
        if not found:
            yield from _named_field(subject, analysis, wanted, value)

    def _trained(
        self, subject: MessageSubject, analysis: Analysis, wanted: set[str] | None
    ) -> Iterator[Hit]:
        """Sentences the trained model reads as the reader's own situation, with the words
        that carried the reading (never the reader's own name). The model does not speak
        where the knowledge base has read a term of the category in the same sentences as
        the reader's (it is found already) or as someone else's (a sister, "should you
        ever", quoted words); a term it found but could not tie to anyone, the model's
        reading of the whole sentence may tie ("Money's a bit tight for you"). Nor where
        the sentences print a thing bought or chosen for the reader: "refill your {{ item }}"
        is as sensitive as the item, which `_recalled` reads."""
        hits = analysis.category_hits
        if not hits:
            return
        names = [v for v in subject.rendered.values if _is_name(v)]
        policy = subject.run.policy
        values = [v for v in subject.rendered.values if _names_a_thing(v, policy)]
        for hit in hits:
            if wanted is not None and hit.category not in wanted:
                continue
            first, last = hit.window[0].start, hit.window[-1].end
            terms = analysis.find_terms([hit.category], start=first, end=last)
            if any(t.reader is not None or t.elsewhere for t in terms) or any(
                v.start < last and first < v.end for v in values
            ):
                continue
            spans = [
                (start, end)
                for start, end in hit.words
                if not any(v.start < end and start < v.end for v in names)
            ]
            if spans:
                text = "\u201d, \u201c".join(analysis.text[a:b] for a, b in spans)
                yield Hit(hit.category, spans[0][0], spans[0][1], text, "trained", hit.sentence)

    def _finding(self, subject: MessageSubject, analysis: Analysis, hits: list[Hit]) -> Finding:
        # Equally tied, a medicine or procedure names the most: what it treats.
        hits.sort(
            key=lambda h: (PRIORITY.index(h.why), analysis.treatment(h.text) is None, h.start)
        )
        main = hits[0]
        categories = list(dict.fromkeys(h.category for h in hits))
        implied = " and ".join(
            IMPLIES.get(c, f"belongs to the sensitive category \u201c{c}\u201d") for c in categories
        )
        names = ", ".join(categories)
        message = f"Implies the recipient {implied} ({names}): " + WHY[main.why].format(
            t=main.text.replace("\n", " ")
        )
        treated = analysis.treatment(main.text)
        if treated:
            message += f", a treatment for {treated}"
        if main.why == "profile":
            fields = ", ".join(subject.rendered.fields_in(main.start, main.end))
            message += f" from the profile field {fields}" if fields else ""
        if main.why == "selected":
            message += f" {main.basis}"
        sentence = main.sentence
        start, end = (sentence.start, sentence.end) if sentence else (main.start, main.end)
        file, line = subject.locate(main.start)
        spans = tuple(sorted({(h.start, h.end) for h in hits}))
        return self.finding(
            subject,
            message,
            evidence=subject.rendered.text[start:end].replace("\n", " "),
            fix=_fix(main, analysis),
            fields=subject.rendered.fields_in(start, end),
            file=file,
            line=line,
            spans=spans,
        )


def _named_field(
    subject: MessageSubject, analysis: Analysis, wanted: set[str] | None, value: Span
) -> Iterator[Hit]:
    """A value printed from a field whose name says what it is ("medication",
    "ancestry_pct"): whatever its words, the copy prints that fact about the person."""
    text = subject.rendered.text[value.start : value.end].strip()
    if states_nothing(text):
        return
    for path in value.fields:
        category = sensitive_field(path)
        if category is not None and (wanted is None or category in wanted):
            sentence = analysis.sentence_at(value.start)
            yield Hit(category, value.start, value.end, text, "profile", sentence)
            return


def _death_of_named(subject: MessageSubject, analysis: Analysis, value: Span) -> Hit | None:
    """A name printed from the profile, told dead in the words right after it ("since {{
    late_partner }} passed", "{{ pet_name }}'s funeral") or right before it ("sorry for
    the loss of {{ partner_name }}"): the profile knows that someone in the reader's life
    died. Not when the verb takes an object ("{{ son }} passed his test", "{{ friend }}
    left us a review"), nor before a value that names no one ("grieving for {{ team }}")."""
    text = subject.rendered.text
    name = text[value.start : value.end].strip()
    words = name.replace("-", " ").replace("'", " ").split()
    if not name[:1].isupper() or len(words) > 4 or not all(w.isalpha() for w in words):
        return None  # a person's name: capitalised words, a few at most, no digits
    person = any(person_field(f) for f in value.fields)
    for cue in analysis.cues("death_before_named") if person else ():
        if cue.end <= value.start and not text[cue.end : value.start].strip():
            told = text[cue.start : value.end]
            return Hit("bereavement", cue.start, value.end, told, "profile", cue.sentence)
    for cue in analysis.cues("death_of_named"):
        if cue.start < value.end or text[value.end : cue.start].strip():
            continue
        after = analysis.sentence_at(cue.start)
        following = [t for t in after.tokens if t.start >= cue.end] if after else []
        if following and _starts_object(analysis, following[0].start):
            continue
        told = text[value.start : cue.end]
        return Hit("bereavement", value.start, cue.end, told, "profile", after)
    return None


def _given_to(analysis: Analysis, value: Span) -> bool:
    """A value printed right after a word of giving ("you've chipped in to {{ charity }}"):
    it names who received."""
    text = analysis.text
    return any(
        cue.end <= value.start and not text[cue.end : value.start].strip()
        for cue in analysis.cues("given_to")
    )


def _starts_object(analysis: Analysis, offset: int) -> bool:
    return any(
        cue.start == offset for group in ("owner", "determiner") for cue in analysis.cues(group)
    )


def _hit(match: TermMatch, why: str) -> Hit:
    return Hit(match.category, match.start, match.end, match.text, why, match.sentence)


def _same_sex_partner(
    subject: MessageSubject, analysis: Analysis, wanted: set[str] | None
) -> Iterator[Hit]:
    """ "Book a table for you and your husband" to a reader the profile says is a man:
    the copy gives the reader a partner of their own sex (sexual_orientation)."""
    category = "sexual_orientation"
    sex = subject.profile.view.sex
    if sex is None or (wanted is not None and category not in wanted):
        return
    for start, end, sentence in analysis.partners_of_sex(sex):
        yield Hit(category, start, end, analysis.text[start:end], "possessive", sentence)


# Fields that hold what the person told the sender themselves (`attributes`, `preferences`).
GIVEN_ROOTS = ("attributes.", "preferences.")


def _selected(
    subject: MessageSubject, analysis: Analysis, wanted: set[str] | None
) -> Iterator[Hit]:
    """Copy that a template renders only for people whose field holds a sensitive label
    (`{% if "hindu_household" in inferred.segments %}`), speaking to the reader, and
    naming the label's category: "Your festival box is ready ... everything for Lakshmi
    puja". The words alone may be said of anyone; rendered for this reader because of
    what the profile says, they tell it. A label that names nothing ("S17") counts by the
    category the policy's `fields:` gives its field. Not a field of what the sender chose,
    nor one of what the person told (`attributes`, `preferences`: a newsletter topic)."""
    rendered, policy = subject.rendered, subject.run.policy
    for selection in rendered.selections:
        if selection.path.startswith(GIVEN_ROOTS):
            continue  # what the person told (a newsletter topic): CC203 judges its use
        role = policy.field_role(selection.path)
        if role == "content" or (role is None and named_like_content(selection.path)):
            continue
        categories = set(analysis.categories_named(selection.value))
        classed = policy.field_class(selection.path)  # "S17" names nothing; the policy may
        if classed is not None:
            categories.add(classed.category)
        if wanted is not None:
            categories &= wanted
        if not categories:
            continue
        sentences: dict[int, Sentence] = {}
        for span in rendered.spans:
            if span.file == selection.file and span.line in selection.lines:
                for sentence in analysis.sentences_in(span.start, span.end):
                    sentences[sentence.start] = sentence
        region = list(sentences.values())
        if not any(analysis.speaks_to_reader(s) for s in region):
            continue
        held = selection.path.rpartition(".")[2] == selection.value
        basis = selection.path + (
            " is set" if held else f" holds \u201c{selection.value}\u201d"
        )
        found = False
        for sentence in region:
            for match in analysis.find_terms(categories, start=sentence.start, end=sentence.end):
                if not match.elsewhere:
                    found = True
                    yield replace(_hit(match, "selected"), basis=basis)
        if not found:  # no term, but the copy reads as the category: "keep your numbers steady"
            yield from _leaning(analysis, region, categories, basis)


def _leaning(
    analysis: Analysis, region: list[Sentence], categories: set[str], basis: str
) -> Iterator[Hit]:
    """The model's reading of the chosen copy, at the bar of copy chosen for the label."""
    starts = {s.start for s in region}
    for hit in analysis.category_leanings:
        if hit.category in categories and hit.sentence.start in starts and hit.words:
            text = "\u201d, \u201c".join(analysis.text[a:b] for a, b in hit.words)
            start, end = hit.words[0]
            yield Hit(hit.category, start, end, text, "selected", hit.sentence, basis=basis)


def _is_name(value: Span) -> bool:
    """Someone's name: a name field of the profile or of a person in it (`pet.name`,
    `partner.first_name`), not the `name` of an item ("repeat_items[0].name")."""
    return bool(value.fields) and all(_names_someone(f) for f in value.fields)


def _names_someone(path: str) -> bool:
    parent, _, key = path.rpartition(".")
    if key not in NAME_FIELDS:
        return False
    return key != "name" or not parent or person_field(parent)


def _names_a_thing(value: Span, policy: Policy) -> bool:
    """A value printed from a purchase, from what the sender chose or from an item field."""
    return any(names_a_thing(path, policy.field_role(path)) for path in value.fields)


COPY_WORDS = 6  # a value of this many words or more is copy ("next_best_message")


def _is_copy(text: str) -> bool:
    """A value that is itself a sentence of copy, read like the template's own words (whom
    its terms are said of decides), not a fact printed from the profile."""
    return len(text.split()) >= COPY_WORDS and text.rstrip()[-1:] in {".", "!", "?"}


def _is_own_name(value: Span) -> bool:
    """The reader's own name: a name field at the top of the profile."""
    return bool(value.fields) and all(f in NAME_FIELDS for f in value.fields)


def _fix(hit: Hit, analysis: Analysis) -> str:
    if hit.why == "purchase":
        return (
            "Do not name the item: remind people in general terms, e.g. "
            "'Time to restock? Reorder from your order history.'"
        )
    if hit.why == "inferred":
        return (
            "Do not print inferred scores or segments; send the same neutral copy to "
            "everyone, or ask the person first."
        )
    example = analysis.example(hit.category) or "Our new range is here."
    return (
        f"Say nothing about the reader's situation; announce the offer on its own, e.g. '{example}'"
    )
