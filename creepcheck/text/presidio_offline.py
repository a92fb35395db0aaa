"""presidio built to run offline: its spaCy engine on blank pipelines, and an email
recognizer that validates domains without the network.

presidio's defaults reach for the network twice: its default NLP engine loads (and
downloads) the `en_core_web_lg` spaCy model, and its email validation calls
`tldextract.extract`, which fetches the public suffix list. `creepcheck.text.pii` builds
its engine from these two instead; the naive benchmark does too, for a fair comparison.
"""

from __future__ import annotations

from typing import Any

# Reserved top-level domains (RFC 2606, 6761) used in examples and test data.
RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})


def blank_nlp_engine(languages: tuple[str, ...]) -> Any:
    """presidio's spaCy engine on blank pipelines: tokens for context words, no model."""
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

    class BlankSpacyNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
        def load(self) -> None:
            self.nlp = _Pipelines(languages)  # type: ignore[assignment]

        def _doc_to_nlp_artifact(self, doc: Any, language: str) -> NlpArtifacts:
            # Blank pipelines have no lemmatizer: the lowercase form stands in for context.
            return NlpArtifacts(
                entities=[],
                tokens=doc,
                tokens_indices=[t.idx for t in doc],
                lemmas=[t.lemma_ or t.lower_ for t in doc],
                nlp_engine=self,
                language=language,
                scores=[],
            )

    engine = BlankSpacyNlpEngine(
        models=[{"lang_code": lang, "model_name": "blank"} for lang in languages]
    )
    engine.load()
    return engine


class _Pipelines(dict):  # type: ignore[type-arg]
    """presidio's `nlp` by language, each blank pipeline built at its first text (a
    Russian tokenizer costs a tenth of a second that English-only runs need not pay)."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        super().__init__()
        self.languages = languages

    def __missing__(self, language: str) -> Any:
        if language not in self.languages:
            raise KeyError(language)
        from creepcheck.text.rule_tokenizer import blank

        pipeline = self[language] = blank(language)
        return pipeline

    def __bool__(self) -> bool:
        return True  # loaded, as far as presidio asks

    def keys(self) -> Any:
        return dict.fromkeys(self.languages).keys()


def offline_email_recognizer(language: str) -> Any:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    # No suffix-list URLs and no cache: tldextract reads only its bundled snapshot.
    extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):  # type: ignore[misc]
        def validate_result(self, pattern_text: str) -> bool:
            domain = pattern_text.rpartition("@")[2].lower()
            return bool(extract(domain).fqdn) or domain.rsplit(".", 1)[-1] in RESERVED_TLDS

    return OfflineEmailRecognizer(supported_language=language)
