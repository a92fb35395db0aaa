"""The check loop: campaigns × profiles × messages, through the rules.

For each campaign its templates are compiled and checked once (`CampaignChecker`),
its audience is read in chunks (`AudienceReader`) and checked where the runner puts
them (this process or `--jobs` workers); then inline suppressions and waivers apply
to the whole run's findings (findings/settle.py).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from creepcheck.findings.audit import build_audit
from creepcheck.findings.result import RunResult
from creepcheck.findings.settle import finalize, waiver_entries
from creepcheck.models import DatabaseQuery, ProfileSource
from creepcheck.run import collector
from creepcheck.run.options import CheckOptions
from creepcheck.run.runners import runner
from creepcheck.run.setup import Setup
from creepcheck.run.sources import (
    NO_ZONE_KEY,
    AudienceReader,
    announce_size,
    no_zone_problem,
    profiles_path,
    schema_problems,
)


def check(options: CheckOptions) -> RunResult:
    """Lint the campaigns under `options.paths`; raise UserError for bad input files."""
    started, clock = datetime.now(timezone.utc), time.monotonic()
    setup = Setup.load(options)
    result = RunResult(root=setup.config.root)
    with collector.paused():  # inherited by forked workers
        checker = setup.prepared_checker()
    sources: set[ProfileSource] = set()
    with collector.frozen_heap(), runner(options, checker) as run:
        for campaign in setup.campaigns:
            result.findings.extend(checker.prepare(campaign).template_findings)
            path = profiles_path(campaign, options)
            if path not in sources:
                sources.add(path)
                result.problems.extend(schema_problems(path, checker.config.mapping))
            no_zone = result.stats.skipped.get(NO_ZONE_KEY, 0)
            announce_size(path, options)
            reader = AudienceReader(campaign, path, checker.config.mapping, options)
            for outcomes in run.outcomes(reader.chunks()):
                reader.take(outcomes, result)
            if options.profile_ids is None:  # a chosen few profiles are not the audience
                result.findings.extend(checker.absent_fields(campaign, reader.audience))
            if result.stats.skipped.get(NO_ZONE_KEY, 0) > no_zone:
                missing = result.stats.skipped[NO_ZONE_KEY] - no_zone
                result.problems.append(no_zone_problem(campaign, path, missing))
    result.stats.campaigns = len(setup.campaigns)
    result.channels = {
        c.id: tuple(dict.fromkeys(spec.channel for spec in c.messages)) for c in setup.campaigns
    }
    # Suppressions, fingerprints and waivers (findings/settle.py); waivers listed with their status.
    enabled = frozenset(setup.rules.by_name)
    result.findings = finalize(
        result.findings, setup.campaigns, enabled=enabled, repository=setup.config.repository_root
    )
    result.waivers = list(waiver_entries(result.findings, setup.campaigns))
    result.audit = build_audit(
        started,
        time.monotonic() - clock,
        setup.run.policy,
        setup.campaigns,
        sorted(s.database if isinstance(s, DatabaseQuery) else s for s in sources),
        setup.config.root,
    )
    return result
