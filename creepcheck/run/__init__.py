"""Running a check: setup → audience chunks → the campaign checker → the run's result.

`check(options)` is the whole run. Worker processes (`parallel.py`) and Spark executors
(`creepcheck.spark`) use the same pieces: `Setup` loads what a run needs,
`CampaignChecker` checks `Chunk`s of an audience into `Outcome`s, and
`AudienceReader` (sources.py) cuts an audience into chunks and takes outcomes back.
"""

from creepcheck.run.checker import Audience, CampaignChecker, Chunk, Outcome
from creepcheck.run.engine import check
from creepcheck.run.options import CheckOptions, RuleSet
from creepcheck.run.setup import Setup

__all__ = [
    "Audience",
    "CampaignChecker",
    "CheckOptions",
    "Chunk",
    "Outcome",
    "RuleSet",
    "Setup",
    "check",
]
