"""Switches for the optimised paths, so tests can compare them with the plain ones.

`CREEPCHECK_UNOPTIMISED=1` turns off the render skeleton cache and the analysis caches;
findings must be identical either way (tests/test_equivalence.py).
"""

from __future__ import annotations

import os

OPTIMISE = os.environ.get("CREEPCHECK_UNOPTIMISED", "") not in {"1", "true", "yes"}
