"""The naive approach a user would write instead of creepcheck, for comparison.

Render each message with Jinja2 and run presidio-analyzer's AnalyzerEngine.analyze on
every rendered text, with the same offline spaCy pipeline creepcheck uses.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader


def main(repo: Path, limit: int | None) -> None:
    from creepcheck.text.pii import _engine  # the same offline presidio set-up

    started = time.perf_counter()
    analyzer = _engine()
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
                    results += len(analyzer.analyze(text=text, language="en"))
            profiles += 1
    elapsed = time.perf_counter() - started
    print(json.dumps({"profiles": profiles, "seconds": elapsed, "entities": results}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)
