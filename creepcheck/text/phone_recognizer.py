"""presidio's phone recognizer, with the remembering matcher of `creepcheck.text.phones`."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from creepcheck import tuning
from creepcheck.text.phones import matchers, parsed_region


class RememberingPhoneRecognizer(PhoneRecognizer):  # type: ignore[misc]
    """`PhoneRecognizer` whose matcher verifies each distinct candidate once."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        if not tuning.OPTIMISE:
            return super().analyze(text, entities, nlp_artifacts)  # type: ignore[no-any-return]
        # presidio's PhoneRecognizer.analyze (which renames the region from the first
        # match that parses on), with the remembering matcher.
        results = []
        # presidio passes None on, for phonenumbers to refuse
        for region, matches in matchers(text, self.supported_regions, self.leniency):  # type: ignore[arg-type]
            named = region
            for match in matches:
                parsed, region_parsed = parsed_region(text[match.start : match.end])
                if parsed:
                    named = region_parsed
                results.append(self._get_recognizer_result(match, text, named, nlp_artifacts))
        return EntityRecognizer.remove_duplicates(results)  # type: ignore[no-any-return]
