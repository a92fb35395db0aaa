"""Everything a run (or a worker process, or a Spark executor) needs before the first
profile: the project config, the policy, the rules, the text analyzer and the campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from creepcheck.errors import Problem, UserError
from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.config import ProjectConfig, load_project_config
from creepcheck.models import Campaign
from creepcheck.policy import Policy, load_policy
from creepcheck.rules.base import RunContext
from creepcheck.run.checker import CampaignChecker
from creepcheck.run.options import CheckOptions, RuleSet

if TYPE_CHECKING:
    from creepcheck.text import TextAnalyzer


@dataclass
class Setup:
    options: CheckOptions
    config: ProjectConfig
    rules: RuleSet
    run: RunContext
    campaigns: list[Campaign]

    @classmethod
    def load(cls, options: CheckOptions) -> Setup:
        config = load_project_config(options.paths[0] if options.paths else Path("."))
        base = config.root if not options.policy else Path.cwd()
        policy = load_policy(options.policy or config.policy, base, root=config.repository_root())
        rules = RuleSet.build(policy, options.select, options.ignore)
        run = RunContext(policy=policy, text=_text_analyzer(policy, config, rules))
        return cls(options, config, rules, run, _load_campaigns(options, config))

    def checker(self) -> CampaignChecker:
        return CampaignChecker(self.rules, self.run, self.options, self.config)

    def prepared_checker(self) -> CampaignChecker:
        """A checker with every campaign's templates compiled and the text analyzer
        warmed: what a worker process or an executor checks profiles with."""
        checker = self.checker()
        for campaign in self.campaigns:
            checker.prepare(campaign)
        if checker.run.text is not None and self.campaigns:
            checker.run.text.warm({c.language for c in self.campaigns})
        return checker


def _text_analyzer(policy: Policy, config: ProjectConfig, rules: RuleSet) -> TextAnalyzer | None:
    if not rules.scope("message"):
        return None
    from creepcheck.text import TextAnalyzer

    return TextAnalyzer(policy, model=config.spacy_model)


def _load_campaigns(options: CheckOptions, config: ProjectConfig) -> list[Campaign]:
    paths = discover_campaigns(
        list(options.paths), config.exclude, root=config.root, repository=config.repository_root
    )
    if not paths:
        where = ", ".join(str(p) for p in options.paths)
        raise UserError(
            f"no campaigns found under {where} (looked for campaign.yaml, "
            "campaign.yml and *.campaign.yaml)"
        )
    campaigns: list[Campaign] = []
    problems: list[Problem] = []
    seen: dict[str, Campaign] = {}
    for path in paths:
        try:
            campaign = load_campaign(
                path,
                default_language=config.language,
                default_profiles=config.profiles,
                root=config.repository_root(path.parent),
            )
        except UserError as exc:
            problems.extend(exc.problems)
            continue
        if campaign.id in seen:
            problems.append(
                Problem(
                    str(path),
                    f'duplicate campaign id "{campaign.id}", also used in {seen[campaign.id].path}',
                    campaign.line,
                )
            )
            continue
        seen[campaign.id] = campaign
        campaigns.append(campaign)
    if problems:
        raise UserError(problems)
    return campaigns
