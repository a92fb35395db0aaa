"""Write the shipped phrase tables (creepcheck/text/phrase_table.py) after a change to
the knowledge base or to the code that reads a word, and the English lemma table
(creepcheck/text/lemma_table.py) after an upgrade of lemminflect:

    python scripts/compile_lexicons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from creepcheck.text import lemma_table
from creepcheck.text.phrase_table import write

LEXICONS = Path(__file__).resolve().parent.parent / "creepcheck" / "text" / "lexicons"

if __name__ == "__main__":
    for path in [lemma_table.write(LEXICONS), *write(("en", "ru"), LEXICONS)]:
        print(f"wrote {path.relative_to(LEXICONS.parent.parent.parent)}", file=sys.stderr)
