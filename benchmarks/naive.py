"""The naive approach a user would write instead of creepcheck, for comparison.

Render each message with Jinja2 and run presidio-analyzer's AnalyzerEngine.analyze on
every rendered text, with the same offline spaCy pipeline creepcheck uses (blank
English and Russian). Two recognizer sets:

- `default`: what `AnalyzerEngine` loads when given only the NLP engine, presidio's
  predefined recognizers, with the email recognizer swapped for creepcheck's offline
  one (presidio's own fetches the public suffix list over the network);
- `creepcheck`: the seven pattern recognizers creepcheck itself registers (fewer, so
  faster: the stricter comparison).

Prints one JSON line: profiles, seconds (from start to end, imports included), entities.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

STARTED = time.perf_counter()

import yaml  # noqa: E402
from jinja2 import Environment, FileSystemLoader  # noqa: E402


def analyzer(recognizers: str):  # type: ignore[no-untyped-def]
    from creepcheck.text import pii
    from creepcheck.text.presidio_offline import blank_nlp_engine, offline_email_recognizer

    if recognizers == "creepcheck":
        return pii._engine()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    registry = RecognizerRegistry(supported_languages=["en"])
    nlp_engine = blank_nlp_engine(pii.LANGUAGES)
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(offline_email_recognizer("en"))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def main(repo: Path, limit: int | None, recognizers: str) -> None:
    engine = analyzer(recognizers)
    campaign = yaml.safe_load((repo / "campaign.yaml").read_text())
    env = Environment(loader=FileSystemLoader(str(repo)), autoescape=True)
    templates = []
    for message in campaign["messages"]:
        parts = []
        if message.get("subject"):
            parts.append(env.from_string(message["subject"]))
        if message.get("template"):
            parts.append(env.get_template(message["template"]))
        templates.append(parts)
    profiles = 0
    results = 0
    with (repo / campaign["profiles"]).open(encoding="utf-8") as lines:
        for line in lines:
            if limit is not None and profiles >= limit:
                break
            profile = json.loads(line)
            context = {**profile, "profile": profile, "campaign": campaign}
            for parts in templates:
                for template in parts:
                    text = template.render(context)
                    results += len(engine.analyze(text=text, language="en"))
            profiles += 1
    elapsed = time.perf_counter() - STARTED
    print(json.dumps({"profiles": profiles, "seconds": elapsed, "entities": results}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("limit", type=int, nargs="?")
    parser.add_argument("--recognizers", choices=("default", "creepcheck"), default="default")
    args = parser.parse_args()
    main(args.repo, args.limit, args.recognizers)
