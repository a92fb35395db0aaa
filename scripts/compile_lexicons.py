"""Write the shipped phrase tables (creepcheck/text/phrase_table.py) after a change to
the knowledge base or to the code that reads a word, the compiled built-in lexicons
(creepcheck/text/lexicon_snapshot.py) after a change to the knowledge base or to the code
that builds a lexicon, the English lemma table
(creepcheck/text/lemma_table.py) after an upgrade of lemminflect, and the tokenizer rules
(creepcheck/text/rule_tokenizer.py) and presidio's patterns (creepcheck/text/pii_patterns.py)
after an upgrade of spaCy or presidio:

    python scripts/compile_lexicons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from creepcheck.text import lemma_table, lexicon_snapshot, pii, pii_patterns, rule_tokenizer
from creepcheck.text.phrase_table import write

LEXICONS = Path(__file__).resolve().parent.parent / "creepcheck" / "text" / "lexicons"

if __name__ == "__main__":
    written = [
        lemma_table.write(LEXICONS),
        *rule_tokenizer.write(LEXICONS),
        pii_patterns.write(LEXICONS, pii._engine(), pii.KINDS, pii.LANGUAGES),
        *write(("en", "ru"), LEXICONS),
        *lexicon_snapshot.write(("en", "ru"), LEXICONS),
    ]
    for path in written:
        print(f"wrote {path.relative_to(LEXICONS.parent.parent.parent)}", file=sys.stderr)
