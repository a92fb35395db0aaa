"""Loaders for creepcheck's input files: project config, campaigns and profiles.

Everything here turns a user's file into creepcheck's typed records or raises one of
the `creepcheck.errors` exceptions naming the file and line; no other exception escapes.
"""

from __future__ import annotations

from creepcheck.loaders.campaigns import discover_campaigns, load_campaign
from creepcheck.loaders.config import ProjectConfig, load_project_config
from creepcheck.loaders.profiles import RecordProblem, iter_profiles
from creepcheck.loaders.yamlio import LineDict, LineList, load_yaml_file, load_yaml_text

__all__ = [
    "LineDict",
    "LineList",
    "ProjectConfig",
    "RecordProblem",
    "discover_campaigns",
    "iter_profiles",
    "load_campaign",
    "load_project_config",
    "load_yaml_file",
    "load_yaml_text",
]
